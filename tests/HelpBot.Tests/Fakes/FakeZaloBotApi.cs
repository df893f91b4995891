using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpBot.Tests.Fakes;

/// <summary>One call HelpBot made to the fake Zalo Bot Platform, and what the fake answered.</summary>
public sealed record ZaloCall(long Sequence, string Method, string Path, JsonObject Body, int HttpStatus, bool Ok, int? ErrorCode, string? ResultMessageId)
{
    public string? ChatId => GetString("chat_id");
    public string? Text => GetString("text");
    public string? Caption => GetString("caption");
    public string? Photo => GetString("photo");

    public string? GetString(string name) => Body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    public override string ToString() => $"#{Sequence} {Method} -> {HttpStatus} ok={Ok} {Body.ToJsonString()[..Math.Min(160, Body.ToJsonString().Length)]}";
}

/// <summary>A message a Zalo user sent: its update (bare, as real webhooks deliver it) and its ids.</summary>
public sealed record ZaloUserMessage(string EventName, string MessageId, string ChatId, JsonObject Update)
{
    public string Bare => Update.ToJsonString();

    /// <summary>The documented form, also what getUpdates returns.</summary>
    public string Wrapped => new JsonObject { ["ok"] = true, ["result"] = Update.DeepClone() }.ToJsonString();
}

/// <summary>
/// In-process fake of the Zalo Bot Platform API (Kestrel on 127.0.0.1, dynamic port): <c>POST /bot{token}/{method}</c>
/// with JSON, answers in Zalo's envelope (errors as HTTP 200 with ok:false, as measured on the real API), enforces the
/// 2,000-character limits, serves getUpdates one update per call (408 "Request timeout" when none), refuses getUpdates
/// while a webhook is set, and posts webhooks to HelpBot with the secret header.
/// </summary>
public sealed class FakeZaloBotApi : IAsyncDisposable
{
    public const string BotName = "HelpBot Xã";
    public const string BotAccount = "bot.HelpBotXa";
    public const int MaxText = 2000;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _disposed = new();
    private readonly List<ZaloCall> _calls = [];
    private readonly Queue<string> _updates = new();
    private readonly Dictionary<string, Queue<(int Http, int Code, string Description)>> _failures = new(StringComparer.Ordinal);
    private readonly List<(string Method, Func<JsonObject, bool> When, int Code, string Description)> _matchFailures = [];
    private readonly HttpClient _webhookClient = new();
    private TaskCompletionSource _updateQueued = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private long _messageNumber = 0x5000;

    private FakeZaloBotApi(WebApplication app) => _app = app;

    public string Token { get; } = "3412985537719485911:ZaloTEST-tok3n-d0-not-log";
    public string BaseUrl { get; private set; } = "";
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public string? WebhookUrl { get; private set; }
    public string? WebhookSecret { get; private set; }

    public IReadOnlyList<ZaloCall> Calls { get { lock (_gate) { return _calls.ToArray(); } } }

    /// <summary>Successful calls of a method.</summary>
    public IEnumerable<ZaloCall> Sent(string method) => Calls.Where(c => c.Ok && c.Method == method);

    public int QueuedUpdates { get { lock (_gate) { return _updates.Count; } } }

    public static async Task<FakeZaloBotApi> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var app = builder.Build();
        var fake = new FakeZaloBotApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _webhookClient.Dispose();
        _disposed.Dispose();
    }

    /// <summary>The next <paramref name="count"/> calls of the method fail with Zalo's error envelope (HTTP 200 unless <paramref name="httpStatus"/> says otherwise).</summary>
    public void FailNext(string method, int errorCode, string description, int httpStatus = 200, int count = 1)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue)) _failures[method] = queue = new();
            for (var i = 0; i < count; i++) queue.Enqueue((httpStatus, errorCode, description));
        }
    }

    /// <summary>The next call of the method whose body matches fails once with Zalo's error envelope.</summary>
    public void FailNextMatching(string method, Func<JsonObject, bool> when, int errorCode, string description)
    {
        lock (_gate) { _matchFailures.Add((method, when, errorCode, description)); }
    }

    /// <summary>The next calls of the method get nginx's HTML 429 page (not JSON), as hot polling once did.</summary>
    public void ThrottleNext(string method, int count = 1) => FailNext(method, -429, "html", 429, count);

    /// <summary>Pretends a webhook was registered elsewhere (getUpdates is then refused).</summary>
    public void SetWebhookDirectly(string? url) { lock (_gate) { WebhookUrl = url; } }

    // ---------------------------------------------------------------- users' messages

    public ZaloUserMessage Text(string chatId, string chatType, string userId, string name, string text) =>
        Build("message.text.received", chatId, chatType, userId, name, m => m["text"] = text);

    public ZaloUserMessage Image(string chatId, string chatType, string userId, string name, string photoUrl, string caption = "", bool documentedField = false) =>
        Build("message.image.received", chatId, chatType, userId, name, m =>
        {
            m["message_type"] = "CHAT_PHOTO";
            m["caption"] = caption;
            m[documentedField ? "photo" : "photo_url"] = photoUrl;
        });

    public ZaloUserMessage Sticker(string chatId, string chatType, string userId, string name) =>
        Build("message.sticker.received", chatId, chatType, userId, name, m =>
        {
            m["message_type"] = "CHAT_STICKER";
            m["sticker"] = "2be893baafff46a11fee";
            m["url"] = "https://zalo-api.zadn.vn/api/emoticon/oasticker?eid=2702697498474438568&size=130";
        });

    public ZaloUserMessage Unsupported(string chatId, string chatType, string userId, string name) =>
        Build("message.unsupported.received", chatId, chatType, userId, name, _ => { });

    public ZaloUserMessage Event(string eventName, string chatId, string chatType, string userId, string name) =>
        Build(eventName, chatId, chatType, userId, name, _ => { });

    private ZaloUserMessage Build(string eventName, string chatId, string chatType, string userId, string name, Action<JsonObject> fill)
    {
        var id = NewMessageId();
        var message = new JsonObject
        {
            ["date"] = Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ["chat"] = new JsonObject { ["chat_type"] = chatType, ["id"] = chatId },
            ["message_id"] = id,
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["display_name"] = name },
        };
        fill(message);
        return new ZaloUserMessage(eventName, id, chatId, new JsonObject { ["event_name"] = eventName, ["message"] = message });
    }

    private string NewMessageId() => Interlocked.Increment(ref _messageNumber).ToString("x20", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- delivering them

    /// <summary>Queues an update for getUpdates (wrapped in the envelope when served).</summary>
    public void Enqueue(ZaloUserMessage message)
    {
        lock (_gate)
        {
            _updates.Enqueue(message.Bare);
            _updateQueued.TrySetResult();
            _updateQueued = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Posts a webhook body to HelpBot as Zalo does: JSON, the secret header, a Java user agent.</summary>
    public async Task<HttpStatusCode> PostWebhookAsync(Uri helpBot, string body, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helpBot, "/webhooks/zalo-bot"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null) request.Headers.Add("X-Bot-Api-Secret-Token", secret);
        request.Headers.UserAgent.ParseAdd("Java/17.0.2");
        using var response = await _webhookClient.SendAsync(request);
        return response.StatusCode;
    }

    // ---------------------------------------------------------------- waiting

    public async Task<ZaloCall> WaitForAsync(Func<ZaloCall, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Calls.FirstOrDefault(predicate) is { } found) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No matching Zalo call arrived. Calls so far:\n{string.Join("\n", Calls.Select(c => c.ToString()))}");
            await Task.Delay(5);
        }
    }

    /// <summary>A successful sendMessage to the chat whose text contains the words.</summary>
    public Task<ZaloCall> MessageToAsync(string chatId, string contains, TimeSpan? timeout = null) =>
        WaitForAsync(c => c.Ok && c.Method == "sendMessage" && c.ChatId == chatId && (c.Text?.Contains(contains, StringComparison.Ordinal) ?? false), timeout);

    // ---------------------------------------------------------------- the API

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var segments = path.Trim('/').Split('/');
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            body = [];
        }
        var method = segments.Length == 2 ? segments[1] : "";
        if (segments.Length != 2 || segments[0] != "bot" + Token)
        {
            await AnswerAsync(context, 401, Record(method, path, body, 401, Error(401, "Unauthorized")));
            return;
        }
        (int Http, JsonObject Json) reply;
        (int Http, int Code, string Description)? failure = null;
        lock (_gate)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.Count > 0) failure = queue.Dequeue();
            else if (_matchFailures.FindIndex(m => m.Method == method && m.When(body)) is >= 0 and var at)
            {
                failure = (200, _matchFailures[at].Code, _matchFailures[at].Description);
                _matchFailures.RemoveAt(at);
            }
        }
        if (failure is { } f)
        {
            if (f.Code == -429)
            {
                Record(method, path, body, 429, Error(429, "html"));
                context.Response.StatusCode = 429;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>");
                return;
            }
            reply = (f.Http, Error(f.Code, f.Description));
        }
        else
        {
            reply = method == "getUpdates" ? await GetUpdatesAsync(body, context.RequestAborted) : Handle(method, body);
        }
        await AnswerAsync(context, reply.Http, Record(method, path, body, reply.Http, reply.Json));
    }

    private (int, JsonObject) Handle(string method, JsonObject body)
    {
        switch (method)
        {
            case "getMe":
                return Ok(new JsonObject { ["id"] = "1459232241454765289", ["account_name"] = BotAccount, ["display_name"] = BotName, ["account_type"] = "BASIC", ["can_join_groups"] = true });
            case "sendMessage":
            {
                if (string.IsNullOrEmpty(Str(body, "chat_id"))) return Bad("Bad request: The chat_id must not be empty");
                var text = Str(body, "text");
                if (string.IsNullOrEmpty(text)) return Bad("Bad request: The text must not be empty");
                if (text.Length > MaxText) return Bad("Bad request: The text must be between 1 and 2000 characters");
                return Ok(SentResult());
            }
            case "sendPhoto":
            {
                if (string.IsNullOrEmpty(Str(body, "chat_id"))) return Bad("Bad request: The chat_id must not be empty");
                var photo = Str(body, "photo");
                if (string.IsNullOrEmpty(photo)) return Bad("The photo must not be empty");
                if (!photo.StartsWith("http://", StringComparison.Ordinal) && !photo.StartsWith("https://", StringComparison.Ordinal))
                    return Bad("The photo must start with http:// or https://");
                if (Str(body, "caption") is { } caption && (caption.Length == 0 || caption.Length > MaxText))
                    return Bad("Bad request: The caption must be between 1 and 2000 characters");
                return Ok(SentResult());
            }
            case "sendChatAction":
                return Str(body, "action") is "typing" or "upload_photo" ? (200, new JsonObject { ["ok"] = true }) : Bad("Bad request: invalid action");
            case "setWebhook":
                lock (_gate) { (WebhookUrl, WebhookSecret) = (Str(body, "url"), Str(body, "secret_token")); }
                return Ok(new JsonObject { ["url"] = WebhookUrl, ["updated_at"] = Clock.GetUtcNow().ToUnixTimeMilliseconds() });
            case "deleteWebhook":
                lock (_gate) { (WebhookUrl, WebhookSecret) = (null, null); }
                return Ok(new JsonObject { ["url"] = "", ["updated_at"] = Clock.GetUtcNow().ToUnixTimeMilliseconds() });
            case "getWebhookInfo":
                return WebhookUrl is null ? (404, Error(404, "Not Found")) : Ok(new JsonObject { ["url"] = WebhookUrl });
            default:
                // Measured: unknown methods (sendDocument, editMessageText, ...) answer 200 with error_code 404.
                return (200, Error(404, "Not Found"));
        }
    }

    private async Task<(int, JsonObject)> GetUpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        var seconds = double.TryParse(Str(body, "timeout"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : 30;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted, _disposed.Token);
        while (true)
        {
            Task queued;
            lock (_gate)
            {
                if (WebhookUrl is not null)
                    return Bad("You cannot use this API while a webhook is set. Please remove the webhook first");
                if (_updates.TryDequeue(out var update))
                    return Ok(JsonNode.Parse(update)!.AsObject());
                queued = _updateQueued.Task;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || cts.IsCancellationRequested) return (200, Error(408, "Request timeout"));
            await queued.WaitAsync(remaining, cts.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private JsonObject SentResult() => new() { ["message_id"] = NewMessageId(), ["date"] = Clock.GetUtcNow().ToUnixTimeMilliseconds() };

    private JsonObject Record(string method, string path, JsonObject body, int http, JsonObject answer)
    {
        lock (_gate)
        {
            var ok = answer["ok"]?.GetValue<bool>() ?? false;
            var code = answer["error_code"]?.GetValue<int>();
            var id = answer["result"] is JsonObject r && r["message_id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            _calls.Add(new ZaloCall(++_sequence, method, path, body, http, ok, code, id));
        }
        return answer;
    }

    private static async Task AnswerAsync(HttpContext context, int http, JsonObject answer)
    {
        // Errors come back as HTTP 200 (measured) unless a test asked for a status; 401 for a wrong token.
        context.Response.StatusCode = http;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static (int, JsonObject) Ok(JsonObject result) => (200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static (int, JsonObject) Bad(string description) => (200, Error(400, description));

    private static JsonObject Error(int code, string description) => new() { ["ok"] = false, ["error_code"] = code, ["description"] = description };

    private static string? Str(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };
}
