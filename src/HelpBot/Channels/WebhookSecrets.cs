using System.Security.Cryptography;
using System.Text;

namespace HelpBot.Channels;

/// <summary>Webhook secrets and signatures, compared so that the time taken says nothing about the secret.</summary>
public static class WebhookSecrets
{
    /// <summary>True when the presented secret equals the expected one; never when none is expected.</summary>
    public static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }
        // Hashing first makes the comparison constant-time whatever the lengths.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
