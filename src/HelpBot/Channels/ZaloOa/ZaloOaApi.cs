using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

/// <summary>What an Open API call came to: Zalo's error code (0 = success) and message, or a transport failure.</summary>
public sealed record ZaloOaReply(int Error, string Message, string? MessageId = null, bool Transport = false)
{
    public bool Ok => Error == 0 && !Transport;
}

/// <summary>
/// The Open API v3 calls HelpBot makes: consultation messages to a person and messages to a group (GMF). Thin: it
/// builds the request and reads the envelope; the sender decides what an error means. The access token travels in
/// the <c>access_token</c> header, and the client logs nothing.
/// </summary>
public sealed class ZaloOaApi(IHttpClientFactory http, IOptions<ZaloOaOptions> options)
{
    public const string HttpClientName = "zalo-oa";

    public Task<ZaloOaReply> SendToUserAsync(string accessToken, string userId, ZaloOaOutMessage message, CancellationToken cancellationToken) =>
        PostAsync("v3.0/oa/message/cs", accessToken, new ZaloOaSendRequest(new ZaloOaRecipient(UserId: userId), message), cancellationToken);

    public Task<ZaloOaReply> SendToGroupAsync(string accessToken, string groupId, ZaloOaOutMessage message, CancellationToken cancellationToken) =>
        PostAsync("v3.0/oa/group/message", accessToken, new ZaloOaSendRequest(new ZaloOaRecipient(GroupId: groupId), message), cancellationToken);

    /// <summary>A person's display name (<c>v3.0/oa/user/detail</c>); the reply's message holds it when <see cref="ZaloOaReply.Ok"/>.</summary>
    public async Task<ZaloOaReply> GetDisplayNameAsync(string accessToken, string userId, CancellationToken cancellationToken)
    {
        var data = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["user_id"] = userId }, ZaloOaJson.Default.DictionaryStringString);
        var url = new Uri(new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + "/"), $"v3.0/oa/user/detail?data={Uri.EscapeDataString(data)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("access_token", accessToken);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new ZaloOaReply(ZaloOaErrors.AccessTokenInvalid, "HTTP 401");
        }
        if (!response.IsSuccessStatusCode)
        {
            return new ZaloOaReply((int)response.StatusCode, $"HTTP {(int)response.StatusCode}", Transport: true);
        }
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(ZaloOaJson.Default.ZaloOaProfileEnvelope, cancellationToken);
            return envelope is { Error: 0, Data.DisplayName: { } name }
                ? new ZaloOaReply(0, name)
                : new ZaloOaReply(envelope?.Error ?? (int)response.StatusCode, envelope?.Message ?? "no display name");
        }
        catch (JsonException)
        {
            return new ZaloOaReply((int)response.StatusCode, $"HTTP {(int)response.StatusCode} with an unreadable body", Transport: true);
        }
    }

    private async Task<ZaloOaReply> PostAsync(string path, string accessToken, ZaloOaSendRequest body, CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + "/"), path);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(body, ZaloOaJson.Default.ZaloOaSendRequest),
        };
        request.Headers.TryAddWithoutValidation("access_token", accessToken);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Some gateways answer an expired token with 401 instead of the envelope.
            return new ZaloOaReply(ZaloOaErrors.AccessTokenInvalid, "HTTP 401");
        }
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new ZaloOaReply((int)response.StatusCode, $"HTTP {(int)response.StatusCode}", Transport: true);
        }
        ZaloOaEnvelope? envelope;
        try
        {
            envelope = await response.Content.ReadFromJsonAsync(ZaloOaJson.Default.ZaloOaEnvelope, cancellationToken);
        }
        catch (JsonException)
        {
            return new ZaloOaReply((int)response.StatusCode, $"HTTP {(int)response.StatusCode} with an unreadable body", Transport: true);
        }
        if (envelope?.Error is not { } error)
        {
            return new ZaloOaReply((int)response.StatusCode, $"HTTP {(int)response.StatusCode} without an error code", Transport: true);
        }
        return new ZaloOaReply(error, envelope.Message ?? "", envelope.Data?.MessageId);
    }
}

/// <summary>The Open API error codes HelpBot treats specially.</summary>
public static class ZaloOaErrors
{
    public const int AccessTokenInvalid = -216;
    public const int AccessTokenExpired = -220;
    public const int RateLimited = -32;

    /// <summary>Zalo will not deliver to this person now: not following, blocked, inactive, outside the 7-day window, restricted.</summary>
    public static readonly IReadOnlySet<int> Unreachable = new HashSet<int> { -213, -217, -227, -230, -232, -234, -244 };

    public static bool IsTokenProblem(int error) => error is AccessTokenInvalid or AccessTokenExpired;
}
