using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

/// <summary>
/// A refused or failed call. <see cref="ErrorCode"/> is Zalo's error_code (or the HTTP status when the
/// answer was not Zalo's JSON, e.g. nginx's 429 page), 0 for a network failure. The message never holds
/// the token or the request address.
/// </summary>
public sealed class ZaloBotApiException(int errorCode, string description, Exception? inner = null)
    : Exception($"Zalo Bot API error {errorCode}: {description}", inner)
{
    public int ErrorCode => errorCode;

    public string Description => description;

    public bool IsNetwork => errorCode == 0;

    /// <summary>Worth trying again later: rate limit, timeout, server error, network.</summary>
    public bool IsTransient => errorCode is 0 or 408 or 429 or >= 500;

    /// <summary>"You cannot use this API while a webhook is set": getUpdates while a webhook is registered.</summary>
    public bool IsWebhookSet => description.Contains("webhook is set", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The Zalo Bot Platform's HTTP API: <c>POST {ApiBaseUrl}/bot{token}/{method}</c> with a JSON body; the
/// answer's <c>ok</c> decides, not the HTTP status (errors come back as 200 and as 4xx alike). The address
/// holds the token, so it never reaches an exception message or a log line (the HttpClient logs nothing).
/// </summary>
public sealed class ZaloBotClient(IHttpClientFactory factory, IOptions<ZaloBotOptions> options, TimeProvider time)
{
    public const string HttpClientName = "zalo-bot";

    private long _lastContact;

    /// <summary>When Zalo last answered a call or delivered an update (for /healthz).</summary>
    public DateTimeOffset? LastContact => Interlocked.Read(ref _lastContact) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Heard() => Interlocked.Exchange(ref _lastContact, time.GetUtcNow().ToUnixTimeMilliseconds());

    internal async Task<ZaloBotInfo> GetMeAsync(CancellationToken ct) =>
        Read(await CallAsync("getMe", new ZaloEmpty(), ZaloBotJson.Default.ZaloEmpty, ct), ZaloBotJson.Default.ZaloBotInfo) ?? new ZaloBotInfo(null, null, null, null);

    internal async Task<ZaloSent> SendMessageAsync(string chatId, string text, CancellationToken ct) =>
        Read(await CallAsync("sendMessage", new ZaloSendMessage(chatId, text), ZaloBotJson.Default.ZaloSendMessage, ct), ZaloBotJson.Default.ZaloSent) ?? new ZaloSent(null, null);

    internal async Task<ZaloSent> SendPhotoAsync(string chatId, string photoUrl, string? caption, CancellationToken ct) =>
        Read(await CallAsync("sendPhoto", new ZaloSendPhoto(chatId, photoUrl, string.IsNullOrEmpty(caption) ? null : caption), ZaloBotJson.Default.ZaloSendPhoto, ct), ZaloBotJson.Default.ZaloSent) ?? new ZaloSent(null, null);

    internal Task SendChatActionAsync(string chatId, string action, CancellationToken ct) =>
        CallAsync("sendChatAction", new ZaloChatAction(chatId, action), ZaloBotJson.Default.ZaloChatAction, ct);

    internal Task SetWebhookAsync(string url, string secret, CancellationToken ct) =>
        CallAsync("setWebhook", new ZaloSetWebhook(url, secret), ZaloBotJson.Default.ZaloSetWebhook, ct);

    internal Task DeleteWebhookAsync(CancellationToken ct) =>
        CallAsync("deleteWebhook", new ZaloEmpty(), ZaloBotJson.Default.ZaloEmpty, ct);

    /// <summary>One update, or null when none came before the timeout (Zalo's 408 "Request timeout", or an empty result).</summary>
    internal async Task<JsonElement?> GetUpdateAsync(int timeoutSeconds, CancellationToken ct)
    {
        try
        {
            var result = await CallAsync("getUpdates", new ZaloGetUpdates(timeoutSeconds), ZaloBotJson.Default.ZaloGetUpdates, ct);
            return result.ValueKind == JsonValueKind.Object && result.EnumerateObject().Any() ? result : null;
        }
        catch (ZaloBotApiException ex) when (ex.ErrorCode == 408)
        {
            return null; // the normal "nothing new"
        }
    }

    /// <summary>Calls a method; returns its <c>result</c> or throws <see cref="ZaloBotApiException"/>.</summary>
    internal async Task<JsonElement> CallAsync<TRequest>(string method, TRequest request, JsonTypeInfo<TRequest> type, CancellationToken ct)
    {
        var o = options.Value;
        var http = factory.CreateClient(HttpClientName);
        var address = new Uri($"{o.ApiBaseUrl.TrimEnd('/')}/bot{o.Token}/{method}");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(address, System.Net.Http.Json.JsonContent.Create(request, type), ct);
        }
        catch (HttpRequestException ex)
        {
            // The message names the host at most; the inner exception is kept for its type, never the address.
            throw new ZaloBotApiException(0, $"network: {ex.HttpRequestError}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new ZaloBotApiException(0, "network: timeout", ex);
        }
        using (response)
        {
            ZaloEnvelope? envelope = null;
            try
            {
                var body = await response.Content.ReadAsStreamAsync(ct);
                envelope = await JsonSerializer.DeserializeAsync(body, ZaloBotJson.Default.ZaloEnvelope, ct);
            }
            catch (JsonException)
            {
                // nginx answers bursts with an HTML 429 page: fall back to the HTTP status below.
            }
            catch (HttpRequestException ex)
            {
                throw new ZaloBotApiException(0, $"network: {ex.HttpRequestError}", ex);
            }
            if (envelope is { Ok: true })
            {
                Heard();
                return envelope.Result;
            }
            if (envelope is { ErrorCode: { } code })
            {
                Heard(); // Zalo answered, even if it said no
                throw new ZaloBotApiException(code, Scrub(envelope.Description ?? "no description"));
            }
            var status = response.StatusCode == HttpStatusCode.OK ? 502 : (int)response.StatusCode;
            throw new ZaloBotApiException(status, $"unreadable answer (HTTP {(int)response.StatusCode})");
        }
    }

    private static T? Read<T>(JsonElement result, JsonTypeInfo<T> type) =>
        result.ValueKind == JsonValueKind.Object ? result.Deserialize(type) : default;

    // Should Zalo ever echo the request address in a description, the token stays out of logs.
    private string Scrub(string description) =>
        options.Value.Token is { Length: > 0 } token ? description.Replace(token, "***", StringComparison.Ordinal) : description;
}
