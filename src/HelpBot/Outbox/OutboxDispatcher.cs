using System.Text.Json;
using Dapper;
using HelpBot.Reports;
using HelpBot.Storage;
using HelpBot.Text;
using HelpBot.Tickets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Outbox;

/// <summary>
/// Sends what the inbox committed. One message at a time per chat, in the order they were written;
/// across chats, answers before cards before acknowledgements; within each channel's budgets. A slow send
/// holds up only its own chat. Stores the platform's message ids in <c>message_links</c>, retries temporary
/// failures with back-off and parks a send that can never succeed as dead, telling the staff chat.
/// </summary>
public sealed class OutboxDispatcher(
    Database database,
    IEnumerable<IChannelSender> senders,
    OutboxSignal signal,
    IOptions<DeskOptions> options,
    Texts texts,
    HelpBot.Inbox.IChatDirectory chats,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int Window = 1000;
    private const string ButtonAnswer = nameof(OutboundKind.ButtonAnswer);
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel);
    private readonly OutboxOptions _options = options.Value.Outbox;

    /// <summary>Sends everything that is due, waits for those sends, and says when the next row falls due.</summary>
    public async Task<DateTimeOffset?> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var inFlight = new InFlight();
        while (true)
        {
            var wake = await StartDueAsync(inFlight, cancellationToken);
            if (inFlight.Count == 0)
            {
                return wake;
            }
            await Task.WhenAny(inFlight.Tasks);
            inFlight.Reap();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new InFlight();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wake = await StartDueAsync(inFlight, stoppingToken);
                failures = 0;
                // Wake on whichever comes first: a send finishing, new rows committed, or the next row falling due.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var signalled = signal.WaitAsync(wake, time, waiting.Token);
                await Task.WhenAny(inFlight.Tasks.Append(signalled));
                await waiting.CancelAsync();
                await signalled.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                inFlight.Reap();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database is busy or broken: wait and go on; the rows are still there.
                failures++;
                logger.LogError(ex, "Outbox dispatch failed ({Failures} in a row); retrying", failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), time, stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        // Sends already on the wire finish and are recorded, so a restart does not send them twice.
        await Task.WhenAll(inFlight.Tasks);
    }

    private sealed record Row(long Id, string Channel, string ChatId, string ChatKind, string Kind, long Priority, long? TicketId, string Payload, long Attempts, long NextAttemptAt)
    {
        public bool Ordered => Kind != ButtonAnswer;
    }

    /// <summary>The sends under way, by row and by chat. Only the dispatcher's loop touches it.</summary>
    private sealed class InFlight
    {
        private readonly Dictionary<long, (Task Task, (string, string) Chat, bool Ordered)> _rows = [];
        private readonly HashSet<(string, string)> _chats = [];

        public int Count => _rows.Count;
        public IEnumerable<Task> Tasks => _rows.Values.Select(r => r.Task).ToList();

        public bool Holds(Row row) => _rows.ContainsKey(row.Id) || (row.Ordered && _chats.Contains((row.Channel, row.ChatId)));

        public void Add(Row row, Task task)
        {
            _rows[row.Id] = (task, (row.Channel, row.ChatId), row.Ordered);
            if (row.Ordered)
            {
                _chats.Add((row.Channel, row.ChatId));
            }
        }

        public void Reap()
        {
            foreach (var (id, entry) in _rows.Where(r => r.Value.Task.IsCompleted).ToList())
            {
                _rows.Remove(id);
                if (entry.Ordered)
                {
                    _chats.Remove(entry.Chat);
                }
            }
        }
    }

    /// <summary>Starts every send that may go now; returns when the next one may.</summary>
    private async Task<DateTimeOffset?> StartDueAsync(InFlight inFlight, CancellationToken cancellationToken)
    {
        if (inFlight.Count >= _options.Concurrency)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        IEnumerable<Row> rows;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // The head of each chat's queue (button acknowledgements have no queue), due ones first.
            rows = await connection.QueryAsync<Row>(
                """
                SELECT id AS Id, channel AS Channel, chat_id AS ChatId, chat_kind AS ChatKind, kind AS Kind, priority AS Priority,
                       ticket_id AS TicketId, payload AS Payload, attempts AS Attempts, next_attempt_at AS NextAttemptAt
                FROM outbox
                WHERE state = 'pending'
                  AND (kind = 'ButtonAnswer' OR id IN (
                        SELECT min(id) FROM outbox WHERE state = 'pending' AND kind <> 'ButtonAnswer' GROUP BY channel, chat_id))
                ORDER BY next_attempt_at > @nowMs, priority, id
                LIMIT @Window
                """, new { nowMs, Window });
        }
        long? wakeAt = null;
        foreach (var row in rows)
        {
            if (inFlight.Count >= _options.Concurrency)
            {
                break;
            }
            if (inFlight.Holds(row))
            {
                continue;
            }
            if (row.NextAttemptAt > nowMs)
            {
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, row.NextAttemptAt);
                continue;
            }
            if (!_senders.TryGetValue(row.Channel, out var sender))
            {
                logger.LogError("Outbox row {OutboxId} is for channel {Channel}, which is not running; it waits", row.Id, row.Channel);
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, nowMs + 60_000);
                continue;
            }
            if (!sender.Budget.TryAcquire(row.ChatId, row.ChatKind, row.Ordered, now, out var wait))
            {
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, nowMs + Math.Max(1, (long)wait.TotalMilliseconds));
                continue;
            }
            inFlight.Add(row, RunAsync(row, sender));
        }
        return wakeAt is { } w ? DateTimeOffset.FromUnixTimeMilliseconds(w) : null;
    }

    // Deliberately not cancellable: once a send has started, it finishes and its outcome is recorded.
    // Cancelling in between would leave a delivered message marked pending, and send it twice.
    private async Task RunAsync(Row row, IChannelSender sender)
    {
        await Task.Yield();
        try
        {
            var result = await SendOneAsync(row, sender, CancellationToken.None);
            await RecordAsync(row, result, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Recording failed (the database is unavailable): the row stays pending and is tried again.
            logger.LogError(ex, "Could not record the outcome of outbox row {OutboxId}", row.Id);
        }
    }

    private async Task<SendResult> SendOneAsync(Row row, IChannelSender sender, CancellationToken cancellationToken)
    {
        OutboundMessage message;
        try
        {
            message = JsonSerializer.Deserialize(row.Payload, OutboundJson.Default.OutboundMessage)!;
        }
        catch (JsonException ex)
        {
            return new SendResult.Failed($"unreadable payload: {ex.Message}");
        }
        try
        {
            string? replyTo = null, target = null;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                replyTo = await ResolveAsync(connection, row, message.ReplyTo);
                target = await ResolveAsync(connection, row, message.Target);
            }
            if (message.Kind == OutboundKind.Edit && target is null)
            {
                return new SendResult.Failed("the message to edit was never sent");
            }
            var delivery = new Delivery(row.Id, row.ChatId, row.ChatKind, message, replyTo, target,
                message.Document is { } doc ? ct => RenderDocumentAsync(doc, ct) : null);
            return await sender.SendAsync(delivery, cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending outbox row {OutboxId} to {Channel} threw", row.Id, row.Channel);
            return new SendResult.RetryLater(ex.GetType().Name);
        }
    }

    private static async Task<string?> ResolveAsync(SqliteConnection connection, Row row, MessageRef? reference) =>
        reference switch
        {
            null => null,
            { MessageId: { } id } => id,
            { TicketId: { } ticket, Role: { } role } => await connection.QueryFirstOrDefaultAsync<string>(
                """
                SELECT message_id FROM message_links
                WHERE ticket_id = @ticket AND role = @role AND channel = @channel AND chat_id = @chatId
                ORDER BY created_at DESC LIMIT 1
                """, new { ticket, role, channel = row.Channel, chatId = row.ChatId }),
            _ => null,
        };

    private async Task<Stream> RenderDocumentAsync(DocumentRequest request, CancellationToken cancellationToken)
    {
        // A temporary file, not memory: an export of a year of tickets can be large.
        var path = Path.GetTempFileName();
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            await using (var writer = new StreamWriter(file, new System.Text.UTF8Encoding(true), 64 * 1024, leaveOpen: true))
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                var (from, to) = Periods.DayRange(request.From, request.To);
                await CsvExport.WriteAsync(connection, writer, from, to, cancellationToken);
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task RecordAsync(Row row, SendResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = await DeskSession.BeginAsync(database, cancellationToken);
        var connection = session.Connection;
        switch (result)
        {
            case SendResult.Sent sent:
                var linkRole = sent.MessageIds.Count > 0 && row.TicketId is not null ? LinkRoleOf(row) : null;
                if (linkRole is not null)
                {
                    foreach (var id in sent.MessageIds)
                    {
                        await session.AddLinkAsync(row.Channel, row.ChatId, id, row.TicketId!.Value, linkRole, now);
                    }
                }
                await connection.ExecuteAsync(
                    "UPDATE outbox SET state = 'sent', sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @Id",
                    new { now = now.Ms(), row.Id }, session.Transaction);
                break;

            case SendResult.RetryLater retry when row.Attempts + 1 < _options.MaxAttempts:
                var backoff = retry.After ?? Backoff(row.Attempts + 1);
                logger.LogWarning("Send of outbox row {OutboxId} to {Channel} chat {ChatId} failed ({Error}); try {Attempt} again in {Delay}",
                    row.Id, row.Channel, row.ChatId, retry.Error, row.Attempts + 1, backoff);
                await connection.ExecuteAsync(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id = @Id",
                    new { next = (now + backoff).Ms(), error = retry.Error, row.Id }, session.Transaction);
                break;

            case SendResult.RetryLater or SendResult.Failed:
                var error = result is SendResult.Failed f ? f.Error : ((SendResult.RetryLater)result).Error;
                logger.LogError("Parked outbox row {OutboxId} to {Channel} chat {ChatId} as dead after {Attempts} tries: {Error}",
                    row.Id, row.Channel, row.ChatId, row.Attempts + 1, error);
                await connection.ExecuteAsync(
                    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error WHERE id = @Id",
                    new { error, row.Id }, session.Transaction);
                await NoteDeadAsync(session, row, error, now);
                break;
        }
        await session.CommitAsync(cancellationToken);
        if (session.EnqueuedAny)
        {
            signal.Notify();
        }
    }

    /// <summary>A message to a citizen that can never be delivered is written on the ticket and told to the staff.</summary>
    private async Task NoteDeadAsync(DeskSession session, Row row, string error, DateTimeOffset now)
    {
        if (row.TicketId is not { } ticketId || row.ChatKind == ChatKinds.Staff)
        {
            return;
        }
        await session.AddEventsAsync([new TicketEvent(ticketId, now, "DeliveryFailed", null, null, Actor.System, error)]);
        var staff = chats.Staff;
        await session.EnqueueAsync(staff.Channel, staff.ChatId, ChatKinds.Staff, Priority.Staff, ticketId, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = texts.DeliveryFailed(ticketId, error),
            ReplyTo = MessageRef.Linked(ticketId, LinkRoles.Card),
        }, now);
    }

    private static string? LinkRoleOf(Row row)
    {
        // Avoid a second JSON parse on the hot path: the role is a short, known string.
        var marker = "\"LinkRole\":\"";
        var start = row.Payload.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += marker.Length;
        var end = row.Payload.IndexOf('"', start);
        return end < 0 ? null : row.Payload[start..end];
    }

    private TimeSpan Backoff(long attempt)
    {
        var seconds = Math.Min(_options.MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromSeconds(seconds);
    }
}
