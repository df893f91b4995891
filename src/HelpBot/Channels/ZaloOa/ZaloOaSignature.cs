using System.Security.Cryptography;
using System.Text;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// <c>X-ZEvent-Signature: mac=</c> + lower-case hex SHA-256 of app id + the raw body + the body's <c>timestamp</c> +
/// the OA secret key: a plain hash of the concatenation (not an HMAC), over the bytes exactly as they arrived.
/// </summary>
public static class ZaloOaSignature
{
    public const string Header = "X-ZEvent-Signature";

    public static string Compute(string appId, ReadOnlySpan<byte> rawBody, string timestamp, string secretKey)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(appId));
        sha.AppendData(rawBody);
        sha.AppendData(Encoding.UTF8.GetBytes(timestamp));
        sha.AppendData(Encoding.UTF8.GetBytes(secretKey));
        return "mac=" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>True when the presented header is the signature of this body; compared in constant time.</summary>
    public static bool Verify(string? presented, string appId, ReadOnlySpan<byte> rawBody, string timestamp, string secretKey)
    {
        var expected = Compute(appId, rawBody, timestamp, secretKey);
        // Hex case is not part of the secret: accept upper-case digits from a proxy that rewrote them.
        var normalised = presented?.Trim() is { } p && p.StartsWith("mac=", StringComparison.OrdinalIgnoreCase)
            ? "mac=" + p[4..].ToLowerInvariant()
            : presented;
        return WebhookSecrets.Matches(normalised, expected);
    }
}
