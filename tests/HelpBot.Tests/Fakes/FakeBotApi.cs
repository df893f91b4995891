using System.Diagnostics;
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

/// <summary>A multipart file part. <see cref="Field"/> is the API parameter that referenced it (Telegram.Bot sends e.g. document=attach://0 plus a part named "0").</summary>
public sealed record FakeUpload(string Name, string? Field, string FileName, string? ContentType, byte[] Content);

public sealed record FakeUser(long Id, bool IsBot, string FirstName, string? Username);
public sealed record FakeMessageRef(long ChatId, int MessageId, int UpdateId);
public sealed record FakeCallbackRef(string CallbackQueryId, int UpdateId);
public sealed record FakeButton(string Text, string? CallbackData, string? Url);

/// <summary>One HTTP call the bot made. <see cref="Result"/> is what the fake answered (null for errors and getUpdates).</summary>
public sealed record FakeRequest(long Sequence, DateTimeOffset Time, string Method, JsonObject Body, IReadOnlyList<FakeUpload> Files, int StatusCode, JsonNode? Result)
{
    public bool Succeeded => StatusCode == 200;
    public long? ChatId => FakeBotApi.ReadLong(Body, "chat_id");
    public int? MessageId => (int?)FakeBotApi.ReadLong(Body, "message_id");
    public string? Text => GetString("text");
    public string? Caption => GetString("caption");
    public int? ReplyToMessageId => (int?)(Body["reply_parameters"] is JsonObject rp ? FakeBotApi.ReadLong(rp, "message_id") : FakeBotApi.ReadLong(Body, "reply_to_message_id"));
    /// <summary>message_id of the Message (or MessageId) the fake returned.</summary>
    public int? ResultMessageId => Result is JsonObject o ? (int?)FakeBotApi.ReadLong(o, "message_id") : null;

    /// <summary>Inline keyboard buttons from reply_markup, row by row, flattened.</summary>
    public IReadOnlyList<FakeButton> InlineButtons =>
        Body["reply_markup"]?["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())
                .Select(b => new FakeButton(FakeBotApi.ReadString(b, "text") ?? "", FakeBotApi.ReadString(b, "callback_data"), FakeBotApi.ReadString(b, "url")))
                .ToList()
            : [];

    public string? GetString(string name) => FakeBotApi.ReadString(Body, name);

    public override string ToString()
    {
        var body = Body.ToJsonString();
        return $"#{Sequence} {Method} -> {StatusCode} {(body.Length > 160 ? body[..160] + "…" : body)}";
    }
}

/// <summary>
/// In-process fake of the Telegram Bot API (Kestrel on 127.0.0.1, dynamic port) for driving a real TelegramBotClient.
/// All state is guarded by one lock; waiting is signal-based (a TaskCompletionSource swapped on every change).
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    private const string NotModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message";

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Dictionary<string, Func<JsonObject, IReadOnlyList<FakeUpload>, Reply>> _handlers;
    private readonly List<FakeRequest> _requests = [];
    private readonly List<(int Id, string Json)> _pending = [];
    private readonly Dictionary<(long Chat, int Id), JsonObject> _messages = [];
    private readonly Dictionary<long, JsonObject> _chats = [];
    private readonly Dictionary<string, Queue<Reply>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Method, Func<JsonObject, bool> When, Reply Reply)> _failuresWhere = [];
    private readonly Random _random = new(20240601);
    private TaskCompletionSource _changed = NewSignal();
    private int _nextUpdateId = 1;
    private int _nextMessageId = 1;
    private long _nextCallbackId = 1;
    private int _nextFileId = 1;
    private long _nextSequence = 1;
    private string _webhookUrl = "";
    private bool _disposed;

    private FakeBotApi(string token, WebApplication app)
    {
        Token = token;
        _app = app;
        _handlers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["getMe"] = (_, _) => Reply.Ok(UserJson(BotUser)),
            ["sendMessage"] = (b, _) => SendMessage(b),
            ["copyMessage"] = (b, _) => CopyOrForward(b, forward: false),
            ["forwardMessage"] = (b, _) => CopyOrForward(b, forward: true),
            ["editMessageText"] = (b, _) => EditMessage(b, editText: true),
            ["editMessageReplyMarkup"] = (b, _) => EditMessage(b, editText: false),
            ["sendDocument"] = (b, f) => SendMedia(b, f, "document"),
            ["sendPhoto"] = (b, f) => SendMedia(b, f, "photo"),
            ["deleteMessage"] = (b, _) => { _messages.Remove(MessageKey(b)); return Reply.True; },
            ["answerCallbackQuery"] = (_, _) => Reply.True,
            ["setMyCommands"] = (_, _) => Reply.True,
            ["deleteMyCommands"] = (_, _) => Reply.True,
            ["sendChatAction"] = (_, _) => Reply.True,
            ["setWebhook"] = (b, _) => SetWebhook(ReadString(b, "url") ?? "", b),
            ["deleteWebhook"] = (b, _) => SetWebhook("", b),
            ["getWebhookInfo"] = (_, _) => Reply.Ok(new JsonObject { ["url"] = _webhookUrl, ["has_custom_certificate"] = false, ["pending_update_count"] = _pending.Count }),
            ["getChat"] = (b, _) => ReadLong(b, "chat_id") is long chatId ? Reply.Ok(ChatFullInfo(chatId)) : Reply.Error(400, "Bad Request: chat not found"),
        };
    }

    public string Token { get; }
    public string BaseUrl { get; private set; } = "";
    public FakeUser BotUser { get; } = new(4242, true, "HelpBot", "helpbot_test_bot");
    /// <summary>Source of message dates and request timestamps (long-poll timeouts always use real time).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>Share (0..1) of non-getUpdates calls answered with 500; uses a fixed-seed Random so runs are repeatable.</summary>
    public double FailureRate { get; set; }

    public IReadOnlyList<FakeRequest> Requests { get { lock (_gate) { return _requests.ToArray(); } } }
    public int PendingUpdateCount { get { lock (_gate) { return _pending.Count; } } }

    /// <summary>Successful calls of <paramref name="method"/>; failed attempts are only in <see cref="Requests"/>.</summary>
    public IEnumerable<FakeRequest> Sent(string method) =>
        Requests.Where(r => r.Succeeded && string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Current state of a message the fake knows about (after edits), or null.</summary>
    public JsonObject? FindMessage(long chatId, int messageId)
    {
        lock (_gate) { return _messages.TryGetValue((chatId, messageId), out var m) ? (JsonObject)m.DeepClone() : null; }
    }

    public static async Task<FakeBotApi> StartAsync(string token = "123456:TEST-TOKEN")
    {
        // Empty builder: no appsettings/env config (a Kestrel section there would add endpoints), no logging providers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var app = builder.Build();
        var fake = new FakeBotApi(token, app);
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        fake.BaseUrl = app.Urls.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            PulseLocked();
        }
        await _disposeCts.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _disposeCts.Dispose();
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> fail with this error (queued after earlier FailNext calls).</summary>
    public void FailNext(string method, int statusCode, string description, int? retryAfter = null, int count = 1)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue)) _failures[method] = queue = new();
            for (var i = 0; i < count; i++) queue.Enqueue(Reply.Error(statusCode, description, retryAfter));
        }
    }

    /// <summary>The next call of <paramref name="method"/> whose body matches fails with this error (once).</summary>
    public void FailNextWhere(string method, Func<JsonObject, bool> when, int statusCode, string description, int? retryAfter = null)
    {
        lock (_gate) { _failuresWhere.Add((method, when, Reply.Error(statusCode, description, retryAfter))); }
    }

    // ---------------------------------------------------------------- update builders

    public FakeMessageRef SendFromUser(long chatId, long userId, string firstName, string? text, int? replyToMessageId = null, string? chatType = null, string? chatTitle = null) =>
        EnqueueUserMessage(chatId, userId, firstName, replyToMessageId, chatType, chatTitle, m =>
        {
            m["text"] = text;
            if (text?.StartsWith('/') != true) return;
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            m["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = end < 0 ? text.Length : end });
        });

    public FakeMessageRef SendPhotoFromUser(long chatId, long userId, string firstName, string? caption = null, string? fileId = null, int? replyToMessageId = null, string? chatType = null, string? chatTitle = null) =>
        EnqueueUserMessage(chatId, userId, firstName, replyToMessageId, chatType, chatTitle, m =>
            (m["photo"], m["caption"]) = (PhotoSizes(fileId ?? NewFileId("PHOTO")), caption));

    public FakeMessageRef SendDocumentFromUser(long chatId, long userId, string firstName, string fileName = "file.pdf", string mimeType = "application/pdf", string? caption = null, string? fileId = null, int? replyToMessageId = null, string? chatType = null, string? chatTitle = null) =>
        EnqueueUserMessage(chatId, userId, firstName, replyToMessageId, chatType, chatTitle, m =>
            (m["document"], m["caption"]) = (FileJson(fileId ?? NewFileId("DOC"), 1024, ("file_name", fileName), ("mime_type", mimeType)), caption));

    public FakeMessageRef SendVoiceFromUser(long chatId, long userId, string firstName, int durationSeconds = 3, string? fileId = null, int? replyToMessageId = null, string? chatType = null, string? chatTitle = null) =>
        EnqueueUserMessage(chatId, userId, firstName, replyToMessageId, chatType, chatTitle, m =>
            m["voice"] = FileJson(fileId ?? NewFileId("VOICE"), 4096, ("mime_type", "audio/ogg"), ("duration", durationSeconds)));

    public FakeMessageRef SendStickerFromUser(long chatId, long userId, string firstName, string emoji = "🙂", string? fileId = null, int? replyToMessageId = null, string? chatType = null, string? chatTitle = null) =>
        EnqueueUserMessage(chatId, userId, firstName, replyToMessageId, chatType, chatTitle, m =>
            m["sticker"] = FileJson(fileId ?? NewFileId("STICKER"), 2048, ("type", "regular"), ("emoji", emoji), ("width", 512), ("height", 512), ("is_animated", false), ("is_video", false)));

    /// <summary>Enqueues a callback_query as if the user pressed an inline button on the given message.</summary>
    public FakeCallbackRef PressButton(long chatId, int messageId, long userId, string firstName, string data)
    {
        lock (_gate)
        {
            var id = (4_242_000_000_000_000 + _nextCallbackId++).ToString(CultureInfo.InvariantCulture);
            // An unknown message is sent as InaccessibleMessage (date 0), as Telegram does for old messages.
            var message = _messages.TryGetValue((chatId, messageId), out var known)
                ? known.DeepClone()
                : new JsonObject { ["message_id"] = messageId, ["chat"] = ChatJson(chatId), ["date"] = 0 };
            var from = UserJson(new FakeUser(userId, false, firstName, null));
            var query = new JsonObject { ["id"] = id, ["from"] = from, ["message"] = message, ["chat_instance"] = chatId.ToString(CultureInfo.InvariantCulture), ["data"] = data };
            return new FakeCallbackRef(id, EnqueueLocked("callback_query", query));
        }
    }

    /// <summary>Enqueues an arbitrary update object; update_id is assigned when missing. Messages inside are remembered for replies.</summary>
    public int EnqueueRaw(string updateJson)
    {
        var update = JsonNode.Parse(updateJson) as JsonObject ?? throw new ArgumentException("An update must be a JSON object.", nameof(updateJson));
        lock (_gate)
        {
            var id = (int)(ReadLong(update, "update_id") ?? _nextUpdateId);
            update["update_id"] = id;
            _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            foreach (var kind in new[] { "message", "edited_message", "channel_post" })
                if (update[kind] is JsonObject m && m["chat"] is JsonObject && m.ContainsKey("message_id")) Remember((JsonObject)m.DeepClone());
            _pending.Add((id, update.ToJsonString()));
            _pending.Sort((a, b) => a.Id.CompareTo(b.Id));
            PulseLocked();
            return id;
        }
    }

    // ---------------------------------------------------------------- waiting helpers

    public Task<FakeRequest> WaitForRequestAsync(Func<FakeRequest, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WaitUntilAsync(() => Requests.FirstOrDefault(predicate), timeout, () => "No matching request arrived");
    }

    public Task<IReadOnlyList<FakeRequest>> WaitForCountAsync(Func<FakeRequest, bool> predicate, int count, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var found = 0;
        return WaitUntilAsync(() =>
        {
            var matches = Requests.Where(predicate).ToList();
            found = matches.Count;
            return found >= count ? (IReadOnlyList<FakeRequest>)matches.Take(count).ToList() : null;
        }, timeout, () => $"Expected {count} matching requests, saw {found}");
    }

    /// <summary>Completes once every update enqueued so far has been confirmed (getUpdates with a higher offset) or dropped.</summary>
    public Task WaitForGetUpdatesDrainedAsync(TimeSpan? timeout = null)
    {
        int last;
        lock (_gate) { last = _nextUpdateId - 1; }
        return WaitUntilAsync(
            () => { lock (_gate) { return _pending.Exists(u => u.Id <= last) ? null : (object)true; } },
            timeout, () => $"Updates up to update_id {last} were not confirmed via getUpdates offset ({PendingUpdateCount} pending)");
    }

    private async Task<T> WaitUntilAsync<T>(Func<T?> check, TimeSpan? timeout, Func<string> headline) where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                changed = _changed.Task; // captured before checking, so a change in between still wakes us
            }
            if (check() is T value) return value;
            var remaining = limit - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero) throw new TimeoutException(Describe($"{headline()} within {limit.TotalSeconds:0.###}s."));
            await changed.WaitAsync(remaining).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private string Describe(string headline)
    {
        var all = Requests;
        var sb = new StringBuilder(headline).AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"Last {Math.Min(30, all.Count)} of {all.Count} requests:").AppendLine();
        foreach (var r in all.TakeLast(30)) sb.Append("  ").AppendLine(r.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"Pending (unconfirmed) updates: {PendingUpdateCount}");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- HTTP pipeline

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var path = context.Request.Path.Value ?? "";
        var slash = path.StartsWith("/bot", StringComparison.Ordinal) ? path.IndexOf('/', 4) : -1;
        if (slash < 0 || path.IndexOf('/', slash + 1) >= 0)
        {
            await WriteAsync(context, Reply.Error(404, "Not Found"), aborted).ConfigureAwait(false);
            return;
        }
        var (token, method) = (path[4..slash], path[(slash + 1)..]);

        JsonObject body;
        IReadOnlyList<FakeUpload> files;
        try { (body, files) = await ReadBodyAsync(context.Request, aborted).ConfigureAwait(false); }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            await WriteAsync(context, Reply.Error(400, "Bad Request: can't parse request body"), aborted).ConfigureAwait(false);
            return;
        }

        var isGetUpdates = string.Equals(method, "getUpdates", StringComparison.OrdinalIgnoreCase);
        Reply reply;
        lock (_gate)
        {
            try
            {
                reply = token != Token ? Reply.Error(401, "Unauthorized")
                    : TakeInjectedFailureLocked(method, isGetUpdates, body)
                      ?? (isGetUpdates ? ConfirmUpdatesLocked(body)
                          : _handlers.TryGetValue(method, out var handler) ? handler(body, files)
                          : Reply.Error(404, "Not Found: method not found"));
            }
            catch (Exception ex)
            {
                // A fake bug or odd input becomes a recorded, readable 500 instead of an empty Kestrel error.
                reply = Reply.Error(500, $"FakeBotApi failed: {ex.GetType().Name}: {ex.Message}");
            }
            Materialize(reply.Result);
            _requests.Add(new FakeRequest(_nextSequence++, Clock.GetUtcNow(), method, body, files, reply.Status, isGetUpdates ? null : reply.Result));
            PulseLocked();
        }
        if (isGetUpdates && reply.Status == 200) reply = await LongPollAsync(body, aborted).ConfigureAwait(false);
        await WriteAsync(context, reply, aborted).ConfigureAwait(false);
    }

    private static async Task<(JsonObject, IReadOnlyList<FakeUpload>)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var body = new JsonObject();
        var files = new List<FakeUpload>();
        foreach (var (key, value) in request.Query) body[key] = FieldValue(value.ToString());
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct).ConfigureAwait(false);
            foreach (var (key, value) in form) body[key] = FieldValue(value.ToString());
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
                var field = body.FirstOrDefault(kv => ReadString(body, kv.Key) == "attach://" + file.Name).Key;
                files.Add(new FakeUpload(file.Name, field, file.FileName, file.ContentType, buffer.ToArray()));
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(text))
            {
                var parsed = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("Body is not a JSON object.");
                foreach (var (key, value) in parsed) body[key] = value?.DeepClone();
            }
        }
        // Parsed nodes materialise lazily, which is not thread-safe; tests read bodies while Kestrel threads run.
        Materialize(body);
        return (body, files);
    }

    /// <summary>Multipart/query fields stay strings, except JSON-looking ones (reply_markup, reply_parameters, ...).</summary>
    private static JsonNode? FieldValue(string value)
    {
        try { return value.Length > 1 && value[0] is '{' or '[' ? JsonNode.Parse(value) : value; }
        catch (JsonException) { return value; }
    }

    private static async Task WriteAsync(HttpContext context, Reply reply, CancellationToken ct)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        // If the bot already gave up on the call (e.g. stopped polling) there is nobody to answer.
        await context.Response.WriteAsync(reply.ToJson(), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Reply? TakeInjectedFailureLocked(string method, bool isGetUpdates, JsonObject body)
    {
        if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure)) return failure;
        if (_failuresWhere.FindIndex(f => string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase) && f.When(body)) is >= 0 and var at)
        {
            var matched = _failuresWhere[at].Reply;
            _failuresWhere.RemoveAt(at);
            return matched;
        }
        if (!isGetUpdates && FailureRate > 0 && _random.NextDouble() < FailureRate) return Reply.Error(500, "Internal Server Error");
        return EnforceLimits ? LimitLocked(method, body) : null;
    }

    /// <summary>When set, sends beyond Telegram's limits (30/s per bot, 1/s per private chat, 20/min per group) get 429, on <see cref="Clock"/>.</summary>
    public bool EnforceLimits { get; set; }

    /// <summary>How many calls were refused with 429 for breaking the limits.</summary>
    public int LimitRefusals { get { lock (_gate) { return _limitRefusals; } } }

    private int _limitRefusals;
    private readonly Queue<long> _globalSends = new();
    private readonly Dictionary<long, Queue<long>> _chatSends = [];
    private static readonly HashSet<string> LimitedMethods =
        ["sendMessage", "copyMessage", "forwardMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"];

    /// <summary>How many sends that count against Telegram's limits have arrived (refused ones included).</summary>
    public int LimitedCalls { get { lock (_gate) { return _limitedCalls; } } }

    private int _limitedCalls;

    private Reply? LimitLocked(string method, JsonObject body)
    {
        if (!LimitedMethods.Contains(method) || ReadLong(body, "chat_id") is not long chat)
        {
            return null;
        }
        _limitedCalls++;
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (count, span) = chat > 0 ? (1, 1000L) : (20, 60_000L);
        if (!_chatSends.TryGetValue(chat, out var sends))
        {
            _chatSends[chat] = sends = new Queue<long>();
        }
        while (_globalSends.Count > 0 && _globalSends.Peek() <= now - 1000) _globalSends.Dequeue();
        while (sends.Count > 0 && sends.Peek() <= now - span) sends.Dequeue();
        if (_globalSends.Count >= 30 || sends.Count >= count)
        {
            _limitRefusals++;
            var wait = sends.Count >= count ? sends.Peek() + span - now : _globalSends.Peek() + 1000 - now;
            return Reply.Error(429, $"Too Many Requests: retry after {Math.Max(1, (wait + 999) / 1000)}", (int)Math.Max(1, (wait + 999) / 1000));
        }
        _globalSends.Enqueue(now);
        sends.Enqueue(now);
        return null;
    }

    // ---------------------------------------------------------------- getUpdates

    private Reply ConfirmUpdatesLocked(JsonObject body)
    {
        if (_webhookUrl.Length > 0)
            return Reply.Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        if (ReadLong(body, "offset") is > 0 and var offset) _pending.RemoveAll(u => u.Id < offset);
        return Reply.Ok(null);
    }

    private async Task<Reply> LongPollAsync(JsonObject body, CancellationToken aborted)
    {
        var offset = ReadLong(body, "offset") ?? 0;
        var limit = (int)Math.Clamp(ReadLong(body, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, ReadLong(body, "timeout") ?? 0));
        var stopwatch = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted, _disposeCts.Token);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                // Negative offset = the last |offset| updates; Telegram.Bot's DropPendingUpdates uses offset -1.
                var batch = offset < 0 ? _pending.TakeLast((int)-offset).Take(limit).ToList() : _pending.Where(u => u.Id >= offset).Take(limit).ToList();
                if (batch.Count > 0 || _disposed) return Reply.Ok(JsonNode.Parse("[" + string.Join(",", batch.Select(u => u.Json)) + "]"));
                changed = _changed.Task;
            }
            var remaining = timeout - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero || cts.IsCancellationRequested) return Reply.Ok(new JsonArray());
            await changed.WaitAsync(remaining, cts.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // ---------------------------------------------------------------- method handlers (called under _gate)

    private Reply SendMessage(JsonObject body)
    {
        if (ReadLong(body, "chat_id") is not long chatId) return Reply.Error(400, "Bad Request: chat not found");
        if (string.IsNullOrEmpty(ReadString(body, "text"))) return Reply.Error(400, "Bad Request: message text is empty");
        var message = NewBotMessage(chatId, body);
        message["text"] = ReadString(body, "text");
        if (body["entities"] is JsonArray entities) message["entities"] = entities.DeepClone();
        return Reply.Ok(Remember(message).DeepClone());
    }

    private Reply CopyOrForward(JsonObject body, bool forward)
    {
        if (ReadLong(body, "chat_id") is not long chatId) return Reply.Error(400, "Bad Request: chat not found");
        if (!_messages.TryGetValue((ReadLong(body, "from_chat_id") ?? 0, (int)(ReadLong(body, "message_id") ?? 0)), out var source))
            return Reply.Error(400, forward ? "Bad Request: message to forward not found" : "Bad Request: message to copy not found");

        var message = NewBotMessage(chatId, forward ? new JsonObject() : body);
        foreach (var (key, value) in source)
        {
            if (key is "message_id" or "from" or "chat" or "date" or "reply_to_message" or "reply_markup" or "edit_date" or "forward_origin" or "message_thread_id" or "is_topic_message") continue;
            message[key] = value?.DeepClone();
        }
        if (forward && source["from"] is JsonObject originalSender)
            message["forward_origin"] = new JsonObject { ["type"] = "user", ["date"] = source["date"]?.DeepClone(), ["sender_user"] = originalSender.DeepClone() };
        if (!forward && body.ContainsKey("caption")) message["caption"] = ReadString(body, "caption");
        Remember(message);
        return Reply.Ok(forward ? message.DeepClone() : new JsonObject { ["message_id"] = message["message_id"]!.DeepClone() });
    }

    private Reply EditMessage(JsonObject body, bool editText)
    {
        if (body.ContainsKey("inline_message_id")) return Reply.True;
        if (!_messages.TryGetValue(MessageKey(body), out var message)) return Reply.Error(400, "Bad Request: message to edit not found");
        if (message["from"] is not JsonObject from || ReadLong(from, "id") != BotUser.Id) return Reply.Error(400, "Bad Request: message can't be edited");

        var text = editText ? ReadString(body, "text") : ReadString(message, "text");
        if (editText && string.IsNullOrEmpty(text)) return Reply.Error(400, "Bad Request: message text is empty");
        // Like Telegram: an edit without reply_markup removes the inline keyboard, and a no-op edit is an error.
        var markup = body["reply_markup"] is JsonObject m && m.ContainsKey("inline_keyboard") ? m : null;
        if (text == ReadString(message, "text") && JsonNode.DeepEquals(markup, message["reply_markup"])) return Reply.Error(400, NotModified);

        if (editText) message["text"] = text;
        if (markup is null) message.Remove("reply_markup");
        else message["reply_markup"] = markup.DeepClone();
        message["edit_date"] = Clock.GetUtcNow().ToUnixTimeSeconds();
        return Reply.Ok(message.DeepClone());
    }

    private Reply SendMedia(JsonObject body, IReadOnlyList<FakeUpload> files, string kind)
    {
        if (ReadLong(body, "chat_id") is not long chatId) return Reply.Error(400, "Bad Request: chat not found");
        var reference = ReadString(body, kind);
        if (string.IsNullOrEmpty(reference)) return Reply.Error(400, $"Bad Request: there is no {kind} in the request");
        var isUpload = reference.StartsWith("attach://", StringComparison.Ordinal);
        var upload = files.FirstOrDefault(f => "attach://" + f.Name == reference);
        if (isUpload && upload is null) return Reply.Error(400, $"Bad Request: file {reference} not found in the request");

        var fileId = isUpload ? NewFileId(kind.ToUpperInvariant()) : reference;
        var message = NewBotMessage(chatId, body);
        message[kind] = kind == "photo"
            ? PhotoSizes(fileId)
            : FileJson(fileId, upload?.Content.Length ?? 1024, ("file_name", upload?.FileName ?? "document"), ("mime_type", upload?.ContentType ?? "application/octet-stream"));
        message["caption"] = ReadString(body, "caption");
        return Reply.Ok(Remember(message).DeepClone());
    }

    private Reply SetWebhook(string url, JsonObject body)
    {
        _webhookUrl = url;
        if (ReadString(body, "drop_pending_updates") == "true") _pending.Clear(); // JSON true and form "true" read alike
        return Reply.True;
    }

    // ---------------------------------------------------------------- JSON building (called under _gate)

    private FakeMessageRef EnqueueUserMessage(long chatId, long userId, string firstName, int? replyTo, string? chatType, string? chatTitle, Action<JsonObject> fill)
    {
        lock (_gate)
        {
            var type = chatType ?? (chatId > 0 ? "private" : "supergroup");
            var chat = new JsonObject { ["id"] = chatId, ["type"] = type };
            if (type == "private") chat["first_name"] = firstName;
            else chat["title"] = chatTitle ?? (_chats.TryGetValue(chatId, out var known) ? ReadString(known, "title") : null) ?? "Test Group";
            _chats[chatId] = chat;

            var id = _nextMessageId++;
            var message = new JsonObject
            {
                ["message_id"] = id,
                ["from"] = UserJson(new FakeUser(userId, false, firstName, null)),
                ["chat"] = chat.DeepClone(),
                ["date"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
            };
            if (replyTo is int r) message["reply_to_message"] = ReplyTarget(chatId, r);
            fill(message);
            return new FakeMessageRef(chatId, id, EnqueueLocked("message", Remember(message).DeepClone()));
        }
    }

    private int EnqueueLocked(string kind, JsonNode payload)
    {
        var id = _nextUpdateId++;
        _pending.Add((id, new JsonObject { ["update_id"] = id, [kind] = payload }.ToJsonString()));
        PulseLocked();
        return id;
    }

    private JsonObject NewBotMessage(long chatId, JsonObject request)
    {
        var message = new JsonObject
        {
            ["message_id"] = _nextMessageId++,
            ["from"] = UserJson(BotUser),
            ["chat"] = ChatJson(chatId),
            ["date"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (ReadLong(request, "message_thread_id") is long thread) (message["message_thread_id"], message["is_topic_message"]) = (thread, true);
        var replyTo = request["reply_parameters"] is JsonObject rp ? ReadLong(rp, "message_id") : ReadLong(request, "reply_to_message_id");
        if (replyTo is long r) message["reply_to_message"] = ReplyTarget(chatId, (int)r);
        // Telegram echoes only inline keyboards back on the sent message.
        if (request["reply_markup"] is JsonObject markup && markup.ContainsKey("inline_keyboard")) message["reply_markup"] = markup.DeepClone();
        return message;
    }

    private JsonObject ReplyTarget(long chatId, int messageId)
    {
        if (!_messages.TryGetValue((chatId, messageId), out var known))
            return new JsonObject { ["message_id"] = messageId, ["chat"] = ChatJson(chatId), ["date"] = Clock.GetUtcNow().ToUnixTimeSeconds() };
        var copy = (JsonObject)known.DeepClone();
        copy.Remove("reply_to_message"); // Telegram never nests replies more than one level.
        return copy;
    }

    private JsonObject Remember(JsonObject message)
    {
        // Builders set optional fields unconditionally; Telegram omits absent fields rather than sending null.
        foreach (var key in message.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) message.Remove(key);
        var chat = (JsonObject)message["chat"]!;
        var chatId = ReadLong(chat, "id") ?? 0;
        _chats.TryAdd(chatId, (JsonObject)chat.DeepClone());
        _messages[(chatId, (int)(ReadLong(message, "message_id") ?? 0))] = message;
        return message;
    }

    private static (long, int) MessageKey(JsonObject body) => (ReadLong(body, "chat_id") ?? 0, (int)(ReadLong(body, "message_id") ?? 0));

    private JsonObject ChatJson(long chatId) =>
        _chats.TryGetValue(chatId, out var chat) ? (JsonObject)chat.DeepClone() : new JsonObject { ["id"] = chatId, ["type"] = chatId > 0 ? "private" : "supergroup" };

    private JsonObject ChatFullInfo(long chatId)
    {
        var chat = ChatJson(chatId);
        (chat["accent_color_id"], chat["max_reaction_count"]) = (0, 11);
        chat["accepted_gift_types"] = new JsonObject { ["unlimited_gifts"] = false, ["limited_gifts"] = false, ["unique_gifts"] = false, ["premium_subscription"] = false };
        return chat;
    }

    private static JsonObject UserJson(FakeUser user)
    {
        var json = new JsonObject { ["id"] = user.Id, ["is_bot"] = user.IsBot, ["first_name"] = user.FirstName };
        if (user.Username is not null) json["username"] = user.Username;
        if (user.IsBot) (json["can_join_groups"], json["can_read_all_group_messages"], json["supports_inline_queries"]) = (true, false, false);
        return json;
    }

    private string NewFileId(string prefix) => FormattableString.Invariant($"{prefix}-{_nextFileId++}");

    private static JsonObject FileJson(string fileId, int size, params (string Key, JsonNode? Value)[] extra)
    {
        var json = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "U" + fileId, ["file_size"] = size };
        foreach (var (key, value) in extra) json[key] = value;
        return json;
    }

    private static JsonArray PhotoSizes(string fileId) =>
    [
        new JsonObject { ["file_id"] = fileId + "-s", ["file_unique_id"] = "U" + fileId + "-s", ["width"] = 90, ["height"] = 90, ["file_size"] = 1500 },
        new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "U" + fileId, ["width"] = 800, ["height"] = 600, ["file_size"] = 45000 },
    ];

    // ---------------------------------------------------------------- helpers

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void PulseLocked() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static void Materialize(JsonNode? node)
    {
        if (node is JsonObject obj) foreach (var (_, value) in obj) Materialize(value);
        else if (node is JsonArray array) foreach (var item in array) Materialize(item);
    }

    internal static string? ReadString(JsonObject obj, string name) => obj[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    internal static long? ReadLong(JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private readonly record struct Reply(int Status, JsonNode? Result, string? Description = null, int? RetryAfter = null)
    {
        public static Reply True => Ok(JsonValue.Create(true));
        public static Reply Ok(JsonNode? result) => new(200, result);
        public static Reply Error(int status, string description, int? retryAfter = null) => new(status, null, description, retryAfter);

        public string ToJson()
        {
            if (Status == 200) return new JsonObject { ["ok"] = true, ["result"] = Result?.DeepClone() }.ToJsonString();
            var error = new JsonObject { ["ok"] = false, ["error_code"] = Status, ["description"] = Description };
            if (RetryAfter is int seconds) error["parameters"] = new JsonObject { ["retry_after"] = seconds };
            return error.ToJsonString();
        }
    }
}
