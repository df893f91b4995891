using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

/// <summary>A new pair from Zalo; the refresh token that asked for it is spent.</summary>
public sealed record ZaloOaTokenPair(string AccessToken, string RefreshToken, TimeSpan ExpiresIn);

/// <summary>What a refresh came to.</summary>
public abstract record ZaloOaRefreshOutcome
{
    public sealed record Issued(ZaloOaTokenPair Pair) : ZaloOaRefreshOutcome;

    /// <summary>Zalo answered and refused this refresh token (used, revoked, expired, or the app's settings are wrong).</summary>
    public sealed record Refused(string Reason) : ZaloOaRefreshOutcome;

    /// <summary>No answer worth believing (network, timeout, server error): whether the token was spent is unknown.</summary>
    public sealed record Unavailable(string Reason) : ZaloOaRefreshOutcome;
}

/// <summary>OAuth v4 for an OA: <c>POST {OAuthBaseUrl}/v4/oa/access_token</c> with the app secret in the <c>secret_key</c> header.</summary>
public sealed class ZaloOaOAuth(IHttpClientFactory http, IOptions<ZaloOaOptions> options)
{
    public const string HttpClientName = "zalo-oa-oauth";

    /// <summary>
    /// The longest a refresh may take. Once a refresh token is sent it is finished whatever a shutdown says (the chain
    /// must not break), so this bounds a graceful stop: it must stay well under the host's ShutdownTimeout (20 s).
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ZaloOaRefreshOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.OAuthBaseUrl.TrimEnd('/') + "/"), "v4/oa/access_token"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("refresh_token", refreshToken),
                new("app_id", o.AppId!.Trim()),
                new("grant_type", "refresh_token"),
            ]),
        };
        request.Headers.TryAddWithoutValidation("secret_key", o.AppSecret);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new ZaloOaRefreshOutcome.Unavailable($"HTTP {(int)response.StatusCode}");
            }
            ZaloOaTokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(ZaloOaJson.Default.ZaloOaTokenResponse, cancellationToken);
            }
            catch (JsonException)
            {
                return new ZaloOaRefreshOutcome.Unavailable($"HTTP {(int)response.StatusCode} with an unreadable body");
            }
            if (body is { AccessToken: { Length: > 0 } access, RefreshToken: { Length: > 0 } refresh })
            {
                // 25 hours is the documented lifetime, should expires_in ever be missing.
                var lifetime = body.ExpiresIn is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(25);
                return new ZaloOaRefreshOutcome.Issued(new ZaloOaTokenPair(access, refresh, lifetime));
            }
            // Errors come with HTTP 200 or 400 and no fixed shape: keep what describes them, never a token.
            var words = body?.Message ?? body?.ErrorDescription ?? body?.ErrorReason ?? body?.ErrorName ?? "no token in the answer";
            return new ZaloOaRefreshOutcome.Refused(body?.Error is { } code ? $"{code} {words}" : words);
        }
        catch (HttpRequestException ex)
        {
            return new ZaloOaRefreshOutcome.Unavailable($"network: {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ZaloOaRefreshOutcome.Unavailable("timeout");
        }
    }
}
