using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpBot.Benchmarks.E2e;

/// <summary>What the fake tells the scenario driving it. Called on Kestrel threads, before the response is written.</summary>
public interface IBotApiObserver
{
    void OnSendMessage(BotRequest request, int messageId, long timestamp);

    void OnEdit(BotRequest request, long timestamp);
}

/// <summary>
/// A cheap fake of the Telegram Bot API for load runs: Kestrel on 127.0.0.1 with a dynamic port, one raw
/// request delegate, no logging, no DOM. Requests are read with <see cref="Utf8JsonReader"/>, constant
/// answers are pre-serialised, the rest written with <see cref="Utf8JsonWriter"/> into a per-thread buffer.
/// Updates are kept as ready JSON bytes; getUpdates long-polls with offset/limit/timeout and wakes on a signal.
/// Unlike the test fake it remembers no messages: the scenario keeps the little state a run needs.
/// </summary>
public sealed class FastBotApi : IAsyncDisposable
{
    public const long BotId = 7_000_000_001;
    public const string BotFirstName = "HelpBot";
    public const string BotUsername = "helpbot_bench_bot";

    private static readonly byte[] BotUserJson = Encoding.UTF8.GetBytes(
        $$$"""{"id":{{{BotId}}},"is_bot":true,"first_name":"{{{BotFirstName}}}","username":"{{{BotUsername}}}"}""");
    private static readonly byte[] GetMeReply = Encoding.UTF8.GetBytes(
        $$$"""{"ok":true,"result":{"id":{{{BotId}}},"is_bot":true,"first_name":"{{{BotFirstName}}}","username":"{{{BotUsername}}}","can_join_groups":true,"can_read_all_group_messages":true,"supports_inline_queries":false}}""");
    private static readonly byte[] TrueReply = """{"ok":true,"result":true}"""u8.ToArray();
    private static readonly byte[] UpdatesPrefix = """{"ok":true,"result":["""u8.ToArray();
    private static readonly byte[] UpdatesSuffix = "]}"u8.ToArray();
    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] NotFoundReply = """{"ok":false,"error_code":404,"description":"Not Found: method not found"}"""u8.ToArray();
    private static readonly byte[] UnauthorizedReply = """{"ok":false,"error_code":401,"description":"Unauthorized"}"""u8.ToArray();
    private static readonly byte[] BadRequestReply = """{"ok":false,"error_code":400,"description":"Bad Request: can't parse request body"}"""u8.ToArray();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;
    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _disposing = new();
    private readonly string _pathPrefix;
    private readonly List<(int Id, byte[] Json)> _pending = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _deliveredAt = new();
    private readonly long[] _firstCallAt = new long[(int)BotMethod.Count];
    private readonly int[] _calls = new int[(int)BotMethod.Count];
    private TaskCompletionSource _updatesChanged = NewSignal();
    private int _nextUpdateId = 1;
    private int _nextMessageId;
    private int _nextFileId;
    private volatile bool _warmingUp;

    private FastBotApi(string token, WebApplication app)
    {
        Token = token;
        _app = app;
        _pathPrefix = "/bot" + token + "/";
    }

    public string Token { get; }
    public string BaseUrl { get; private set; } = "";
    public IBotApiObserver? Observer { get; set; }
    public required Chats Chats { get; init; }

    /// <summary>Completes at the first getUpdates call: the bot is up and listening.</summary>
    public TaskCompletionSource FirstGetUpdates { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int PendingCount { get { lock (_gate) { return _pending.Count; } } }

    /// <summary>The update types the bot's last getUpdates asked for (allowed_updates), or null if it never named them.</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; private set; }

    public static async Task<FastBotApi> StartAsync(string token, Chats? chats = null)
    {
        // Empty builder: no configuration files, no logging providers, no per-request diagnostics.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        // Inline scheduling runs the handler on the socket's own thread: one context switch less per request. Safe
        // here because the handler never blocks (the long poll awaits a signal).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var api = new FastBotApi(token, app) { Chats = chats ?? Chats.Default };
        app.Run(api.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        api.BaseUrl = app.Urls.First().TrimEnd('/');
        return api;
    }

    /// <summary>Stopwatch timestamp of the first call of a method, or 0.</summary>
    public long FirstCallAt(BotMethod method) => Volatile.Read(ref _firstCallAt[(int)method]);

    public int Calls(BotMethod method) => Volatile.Read(ref _calls[(int)method]);

    public IReadOnlyDictionary<string, int> CallCounts() =>
        Enum.GetValues<BotMethod>().Where(m => m != BotMethod.Count && Calls(m) > 0).ToDictionary(m => m.ToString(), Calls);

    public int NextMessageId() => Interlocked.Increment(ref _nextMessageId);

    /// <summary>Stopwatch timestamp of the first getUpdates answer that carried this update, or 0.</summary>
    public long DeliveredAt(int updateId) => _deliveredAt.TryGetValue(updateId, out var at) ? at : 0;

    /// <summary>Makes updates visible to getUpdates at once. <paramref name="write"/> writes the payload object (e.g. "message") for each.</summary>
    public int[] Enqueue(int count, Action<Utf8JsonWriter, int, int> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var ids = new int[count];
        // Built under the lock: update ids must reach the queue in order, or a confirmed offset could skip one.
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var id = _nextUpdateId++;
                var writer = Writer(out var buffer);
                writer.WriteStartObject();
                writer.WriteNumber("update_id"u8, id);
                write(writer, i, id);
                writer.WriteEndObject();
                writer.Flush();
                _pending.Add((id, buffer.WrittenSpan.ToArray()));
                ids[i] = id;
            }
            Interlocked.Exchange(ref _updatesChanged, NewSignal()).TrySetResult();
        }
        return ids;
    }

    /// <summary>
    /// Calls the fake's own hot paths over loopback until the JIT has optimised them (tiering waits for about 30
    /// calls and a quiet 100 ms), so the run measures the fake's steady cost. Nothing of it is counted or seen.
    /// </summary>
    public async Task WarmUpAsync(int rounds = 400)
    {
        _warmingUp = true;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(BaseUrl + _pathPrefix) };
            var chat = Chats.StaffChatId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var send = $$$"""{"chat_id":{{{chat}}},"text":"Phiếu #1 · warm-up","reply_parameters":{"message_id":1,"allow_sending_without_reply":true},"reply_markup":{"inline_keyboard":[[{"text":"Nhận xử lý","callback_data":"claim:1"}]]},"link_preview_options":{"is_disabled":true}}""";
            var edit = $$$"""{"chat_id":{{{chat}}},"message_id":1,"text":"warm-up","reply_markup":{"inline_keyboard":[]}}""";
            for (var round = 0; round < rounds; round++)
            {
                var ids = Enqueue(2, (w, _, _) =>
                {
                    w.WriteStartObject("message"u8);
                    w.WriteNumber("message_id"u8, 1);
                    WriteBotUser(w, "from"u8);
                    WriteChat(w, Chats.StaffChatId);
                    w.WriteNumber("date"u8, UnixNow());
                    w.WriteString("text"u8, "warm-up"u8);
                    w.WriteEndObject();
                });
                await Task.WhenAll(
                    PostAsync(http, "sendMessage", send),
                    PostAsync(http, "editMessageText", edit),
                    PostAsync(http, "answerCallbackQuery", """{"callback_query_id":"1"}"""),
                    PostAsync(http, "getUpdates", $$"""{"offset":{{ids[0]}},"limit":100,"timeout":0}""")).ConfigureAwait(false);
                // Confirms what this round enqueued, so the bot starts on an empty queue.
                await PostAsync(http, "getUpdates", $$"""{"offset":{{ids[^1] + 1}},"limit":100,"timeout":0}""").ConfigureAwait(false);
            }
        }
        finally
        {
            _warmingUp = false;
        }
    }

    private static async Task PostAsync(HttpClient http, string method, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(method, UriKind.Relative), content).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _updatesChanged.TrySetResult();
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    // ---------------------------------------------------------------- JSON fragments the scenario uses

    public void WriteBotUser(Utf8JsonWriter writer, ReadOnlySpan<byte> property)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(property);
        writer.WriteRawValue(BotUserJson, skipInputValidation: true);
    }

    public void WriteChat(Utf8JsonWriter writer, long chatId, string? privateFirstName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("chat"u8);
        writer.WriteNumber("id"u8, chatId);
        if (chatId > 0)
        {
            writer.WriteString("type"u8, "private"u8);
            writer.WriteString("first_name"u8, privateFirstName ?? "Công dân");
        }
        else
        {
            writer.WriteString("type"u8, "supergroup"u8);
            writer.WriteString("title"u8, chatId == Chats.StaffChatId ? Chats.StaffTitle : Chats.GroupTitle);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes an already-escaped JSON string body as a string value.</summary>
    public static void WriteRawString(Utf8JsonWriter writer, ReadOnlySpan<byte> property, ReadOnlySpan<byte> escaped)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var quoted = new byte[escaped.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        escaped.CopyTo(quoted.AsSpan(1));
        writer.WritePropertyName(property);
        writer.WriteRawValue(quoted, skipInputValidation: true);
    }

    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    // ---------------------------------------------------------------- HTTP

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(_pathPrefix, StringComparison.Ordinal))
        {
            await WriteAsync(context, path.StartsWith("/bot", StringComparison.Ordinal) ? 401 : 404,
                path.StartsWith("/bot", StringComparison.Ordinal) ? UnauthorizedReply : NotFoundReply).ConfigureAwait(false);
            return;
        }
        var method = Method(path.AsSpan(_pathPrefix.Length));
        var now = Stopwatch.GetTimestamp();
        var warmingUp = _warmingUp;
        if (method != BotMethod.Count && !warmingUp)
        {
            Interlocked.CompareExchange(ref _firstCallAt[(int)method], now, 0);
            Interlocked.Increment(ref _calls[(int)method]);
        }

        BotRequest request;
        try
        {
            request = context.Request.HasFormContentType
                ? BotRequest.FromForm((await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))["chat_id"])
                : await ReadJsonAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
        {
            await WriteAsync(context, 400, BadRequestReply).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case BotMethod.GetUpdates:
                if (!warmingUp)
                {
                    AllowedUpdates = request.AllowedUpdates ?? AllowedUpdates;
                    FirstGetUpdates.TrySetResult();
                }
                await LongPollAsync(context, request).ConfigureAwait(false);
                return;
            case BotMethod.GetMe:
                await WriteAsync(context, 200, GetMeReply).ConfigureAwait(false);
                return;
            case BotMethod.DeleteWebhook or BotMethod.SetWebhook or BotMethod.SetMyCommands or BotMethod.DeleteMyCommands
                or BotMethod.AnswerCallbackQuery or BotMethod.SendChatAction or BotMethod.DeleteMessage:
                await WriteAsync(context, 200, TrueReply).ConfigureAwait(false);
                return;
            case BotMethod.SendMessage:
            {
                var id = NextMessageId();
                if (!warmingUp)
                {
                    Observer?.OnSendMessage(request, id, now);
                }
                await WriteMessageAsync(context, request, id, edited: false).ConfigureAwait(false);
                return;
            }
            case BotMethod.EditMessageText or BotMethod.EditMessageReplyMarkup:
                if (!warmingUp)
                {
                    Observer?.OnEdit(request, now);
                }
                await WriteMessageAsync(context, request, request.MessageId ?? 0, edited: true).ConfigureAwait(false);
                return;
            case BotMethod.CopyMessage:
                await WriteIdAsync(context, NextMessageId()).ConfigureAwait(false);
                return;
            case BotMethod.SendDocument:
                await WriteDocumentAsync(context, request, NextMessageId()).ConfigureAwait(false);
                return;
            default:
                await WriteAsync(context, 404, NotFoundReply).ConfigureAwait(false);
                return;
        }
    }

    private static async ValueTask<BotRequest> ReadJsonAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                try
                {
                    return BotRequest.Parse(result.Buffer);
                }
                finally
                {
                    body.AdvanceTo(result.Buffer.End);
                }
            }
            // Not all there yet: look at nothing, keep everything, ask for more.
            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task LongPollAsync(HttpContext context, BotRequest request)
    {
        var limit = Math.Clamp(request.Limit ?? 100, 1, 100);
        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Clamp(request.Timeout ?? 0, 0, 50) * (double)Stopwatch.Frequency);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _disposing.Token);
        while (true)
        {
            byte[][] batch;
            Task changed;
            lock (_gate)
            {
                // An offset confirms every update before it: those are gone for good, as on Telegram.
                if (request.Offset is > 0 and var offset)
                {
                    var confirmed = 0;
                    while (confirmed < _pending.Count && _pending[confirmed].Id < offset)
                    {
                        confirmed++;
                    }
                    _pending.RemoveRange(0, confirmed);
                }
                var take = Math.Min(limit, _pending.Count);
                batch = take == 0 ? [] : new byte[take][];
                var deliveredAt = Stopwatch.GetTimestamp();
                for (var i = 0; i < take; i++)
                {
                    batch[i] = _pending[i].Json;
                    // The first answer that carries it: where the bot's wait for this update ends. Stamped as the answer
                    // is put together, before it is written, so writing it counts toward HelpBot's legs, not the wait.
                    _deliveredAt.TryAdd(_pending[i].Id, deliveredAt);
                }
                changed = _updatesChanged.Task;
            }
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (batch.Length > 0 || remaining <= 0 || aborted.IsCancellationRequested)
            {
                await WriteUpdatesAsync(context, batch).ConfigureAwait(false);
                return;
            }
            await changed.WaitAsync(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), aborted.Token)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task WriteUpdatesAsync(HttpContext context, byte[][] batch)
    {
        var length = UpdatesPrefix.Length + UpdatesSuffix.Length + Math.Max(0, batch.Length - 1);
        foreach (var update in batch)
        {
            length += update.Length;
        }
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = length;
        var output = response.BodyWriter;
        output.Write(UpdatesPrefix);
        for (var i = 0; i < batch.Length; i++)
        {
            if (i > 0)
            {
                output.Write(Comma);
            }
            output.Write(batch[i]);
        }
        output.Write(UpdatesSuffix);
        try
        {
            await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The bot stopped polling: nobody to answer.
        }
    }

    private Task WriteMessageAsync(HttpContext context, BotRequest request, int messageId, bool edited)
    {
        var writer = Writer(out var buffer);
        writer.WriteStartObject();
        writer.WriteBoolean("ok"u8, true);
        writer.WriteStartObject("result"u8);
        writer.WriteNumber("message_id"u8, messageId);
        WriteBotUser(writer, "from"u8);
        WriteChat(writer, request.ChatId ?? 0);
        var now = UnixNow();
        writer.WriteNumber("date"u8, now);
        if (edited)
        {
            writer.WriteNumber("edit_date"u8, now);
        }
        if (request.RawText is { } text)
        {
            WriteRawString(writer, "text"u8, text);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return WriteAsync(context, 200, buffer.WrittenSpan);
    }

    private Task WriteIdAsync(HttpContext context, int messageId)
    {
        var writer = Writer(out var buffer);
        writer.WriteStartObject();
        writer.WriteBoolean("ok"u8, true);
        writer.WriteStartObject("result"u8);
        writer.WriteNumber("message_id"u8, messageId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return WriteAsync(context, 200, buffer.WrittenSpan);
    }

    private Task WriteDocumentAsync(HttpContext context, BotRequest request, int messageId)
    {
        var file = Interlocked.Increment(ref _nextFileId);
        var writer = Writer(out var buffer);
        writer.WriteStartObject();
        writer.WriteBoolean("ok"u8, true);
        writer.WriteStartObject("result"u8);
        writer.WriteNumber("message_id"u8, messageId);
        WriteBotUser(writer, "from"u8);
        WriteChat(writer, request.ChatId ?? 0);
        writer.WriteNumber("date"u8, UnixNow());
        writer.WriteStartObject("document"u8);
        writer.WriteString("file_id"u8, FormattableString.Invariant($"DOC-{file}"));
        writer.WriteString("file_unique_id"u8, FormattableString.Invariant($"UDOC-{file}"));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return WriteAsync(context, 200, buffer.WrittenSpan);
    }

    /// <summary>Copies the bytes into Kestrel's pipe synchronously (the per-thread buffer is free again at once), then flushes.</summary>
    private static Task WriteAsync(HttpContext context, int status, ReadOnlySpan<byte> json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        response.BodyWriter.Write(json);
        return response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    private static Utf8JsonWriter Writer(out ArrayBufferWriter<byte> buffer)
    {
        buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        return writer;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static BotMethod Method(ReadOnlySpan<char> name) => name switch
    {
        "getUpdates" => BotMethod.GetUpdates,
        "sendMessage" => BotMethod.SendMessage,
        "editMessageText" => BotMethod.EditMessageText,
        "editMessageReplyMarkup" => BotMethod.EditMessageReplyMarkup,
        "answerCallbackQuery" => BotMethod.AnswerCallbackQuery,
        "copyMessage" => BotMethod.CopyMessage,
        "sendDocument" => BotMethod.SendDocument,
        "getMe" => BotMethod.GetMe,
        "deleteWebhook" => BotMethod.DeleteWebhook,
        "setWebhook" => BotMethod.SetWebhook,
        "setMyCommands" => BotMethod.SetMyCommands,
        "deleteMyCommands" => BotMethod.DeleteMyCommands,
        "sendChatAction" => BotMethod.SendChatAction,
        "deleteMessage" => BotMethod.DeleteMessage,
        _ => BotMethod.Count,
    };
}

public enum BotMethod
{
    GetMe,
    DeleteWebhook,
    SetWebhook,
    SetMyCommands,
    DeleteMyCommands,
    GetUpdates,
    SendMessage,
    EditMessageText,
    EditMessageReplyMarkup,
    AnswerCallbackQuery,
    CopyMessage,
    SendDocument,
    SendChatAction,
    DeleteMessage,
    /// <summary>Not a method: the number of them, and "unknown".</summary>
    Count,
}

/// <summary>The two group chats of a run: the staff chat and the public support group.</summary>
public sealed record Chats(long StaffChatId, string StaffTitle, long GroupChatId, string GroupTitle)
{
    public static Chats Default { get; } = new(-1001000000001, "Tổ phản ứng nhanh", -1001000000002, "Hỏi đáp thủ tục hành chính xã");
}
