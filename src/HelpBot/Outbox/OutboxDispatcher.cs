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
                while (true)
                {
                    // Wake on whichever comes first: a send finishing, new rows committed, or the next row falling due.
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var signalled = signal.WaitAsync(wake, time, waiting.Token);
                    var first = await Task.WhenAny(inFlight.Tasks.Append(signalled));
                    await waiting.CancelAsync();
                    await signalled.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    inFlight.Reap();
                    // Looking for more work costs a query over the queue: do it when there is news, or room for many.
                    if (first == signalled || inFlight.Count <= _options.Concurrency / 2)
                    {
                        break;
                    }
                }
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

    /// <summary>
    /// The sends under way, by row and by queue. A queue is a chat whose sends are rate-limited (one at a
    /// time keeps its budget exact), otherwise a chat and ticket: a ticket's messages stay in order (card
    /// before its edits and relays) while different tickets' messages go side by side.
    /// </summary>
    private sealed class InFlight
    {
        private readonly Dictionary<long, (Task Task, (string, string, long?) Queue, bool Ordered)> _rows = [];
        private readonly HashSet<(string, string, long?)> _queues = [];

        public int Count => _rows.Count;
        public IEnumerable<Task> Tasks => _rows.Values.Select(r => r.Task).ToList();

        public bool Holds(Row row, (string, string, long?) queue) => _rows.ContainsKey(row.Id) || (row.Ordered && _queues.Contains(queue));

        public void Add(Row row, (string, string, long?) queue, Task task)
        {
            _rows[row.Id] = (task, queue, row.Ordered);
            if (row.Ordered)
            {
                _queues.Add(queue);
            }
        }

        public void Reap()
        {
            foreach (var (id, entry) in _rows.Where(r => r.Value.Task.IsCompleted).ToList())
            {
                _rows.Remove(id);
                if (entry.Ordered)
                {
                    _queues.Remove(entry.Queue);
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
                        SELECT id FROM (
                            SELECT id, row_number() OVER (PARTITION BY channel, chat_id, coalesce(ticket_id, 0) ORDER BY priority, id) AS rn
                            FROM outbox WHERE state = 'pending' AND kind <> 'ButtonAnswer')
                        WHERE rn = 1))
                ORDER BY next_attempt_at > @nowMs, priority, id
                LIMIT @Window
                """, new { nowMs, Window });
        }
        long? wakeAt = null;
        var heads = new HashSet<(string, string, long?)>();
        foreach (var row in rows)
        {
            if (inFlight.Count >= _options.Concurrency)
            {
                break;
            }
            var limited = _senders.TryGetValue(row.Channel, out var owner) && owner.Budget.Limits is var l
                && (row.ChatKind == ChatKinds.Private ? l.PerChatPerSecond > 0 : l.PerGroupPerMinute > 0);
            var queue = (row.Channel, row.ChatId, limited ? (long?)null : row.TicketId ?? 0);
            // Rows come in (due, priority, id) order: the first seen of a queue is its head; the rest wait.
            if (inFlight.Holds(row, queue) || (row.Ordered && !heads.Add(queue)))
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
            var batch = await BatchAsync(row, sender, now, cancellationToken);
            inFlight.Add(row, queue, batch.Count > 1 ? RunBatchAsync(batch, sender) : RunAsync(row, sender));
        }
        return wakeAt is { } w ? DateTimeOffset.FromUnixTimeMilliseconds(w) : null;
    }

    /// <summary>Most rows a combined message carries: cards (one claim button each), acknowledgements.</summary>
    private const int MaxCardsPerMessage = 30;
    private const int MaxAcksPerMessage = 40;
    /// <summary>Well under a platform's longest message, so a combined message is always one send.</summary>
    private const int MaxCombinedLength = 3600;

    /// <summary>
    /// When a group's budget cannot carry its queue of new cards (or acknowledgements) one by one within the
    /// window, the head row takes the next ones of its kind along into one combined message.
    /// </summary>
    private async Task<IReadOnlyList<(Row Row, OutboundMessage Message)>> BatchAsync(Row head, IChannelSender sender, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (head.Kind != nameof(OutboundKind.Text) || head.ChatKind == ChatKinds.Private || sender.Budget.Limits.PerGroupPerMinute <= 0)
        {
            return [];
        }
        var role = LinkRoleOf(head);
        if (role is not (LinkRoles.Card or LinkRoles.Ack) || !head.Payload.Contains("\"BatchLine\"", StringComparison.Ordinal))
        {
            return [];
        }
        var max = role == LinkRoles.Card ? MaxCardsPerMessage : MaxAcksPerMessage;
        List<Row> queue;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            queue = (await connection.QueryAsync<Row>(
                """
                SELECT id AS Id, channel AS Channel, chat_id AS ChatId, chat_kind AS ChatKind, kind AS Kind, priority AS Priority,
                       ticket_id AS TicketId, payload AS Payload, attempts AS Attempts, next_attempt_at AS NextAttemptAt
                FROM outbox
                WHERE state = 'pending' AND channel = @Channel AND chat_id = @ChatId AND priority = @Priority AND kind = 'Text'
                  AND next_attempt_at <= @now AND id >= @Id
                ORDER BY id LIMIT 500
                """, new { head.Channel, head.ChatId, head.Priority, head.Id, now = now.ToUnixTimeMilliseconds() })).AsList();
        }
        var same = queue.Where(r => LinkRoleOf(r) == role && r.Payload.Contains("\"BatchLine\"", StringComparison.Ordinal)).ToList();
        // Coalesce only when sending one by one would not fit the group's minute.
        if (same.Count <= sender.Budget.Remaining(head.ChatId, head.ChatKind, now) + 1)
        {
            return [];
        }
        var batch = new List<(Row, OutboundMessage)>();
        var length = 200;
        foreach (var r in same.Take(max))
        {
            var message = JsonSerializer.Deserialize(r.Payload, OutboundJson.Default.OutboundMessage)!;
            length += (message.BatchLine?.Length ?? 0) + 2;
            if (batch.Count > 0 && length > MaxCombinedLength)
            {
                break;
            }
            batch.Add((r, message));
        }
        return batch;
    }

    private async Task RunBatchAsync(IReadOnlyList<(Row Row, OutboundMessage Message)> batch, IChannelSender sender)
    {
        await Task.Yield();
        var head = batch[0].Row;
        var cards = LinkRoleOf(head) == LinkRoles.Card;
        var lines = batch.Select(b => b.Message.BatchLine!).ToList();
        var combined = new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = cards ? $"{texts.BatchCardHeader(batch.Count)}\n\n{string.Join("\n\n", lines)}" : texts.BatchAck(lines),
            Buttons = cards
                ? batch.Select(b => (IReadOnlyList<OutboundButton>)[new OutboundButton(texts.BatchClaimButton(b.Row.TicketId ?? 0), $"claim:{b.Row.TicketId}")]).ToList()
                : null,
        };
        SendResult result;
        try
        {
            result = await sender.SendAsync(new Delivery(head.Id, head.ChatId, head.ChatKind, combined, null, null, null), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending combined outbox rows from {OutboxId} to {Channel} threw", head.Id, head.Channel);
            result = new SendResult.RetryLater(ex.GetType().Name);
        }
        try
        {
            foreach (var (row, _) in batch)
            {
                await RecordAsync(row, result, CancellationToken.None, cards ? LinkRoles.BatchCard : LinkRoles.Ack);
            }
            logger.LogInformation("Combined {Count} {Kind} into one message to {Channel} chat {ChatId} to stay within its limit",
                batch.Count, cards ? "cards" : "acknowledgements", head.Channel, head.ChatId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the outcome of combined outbox rows from {OutboxId}", head.Id);
        }
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
            string? replyTo, target;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                // A reply under a card goes under the combined message when the ticket was announced in one;
                // an edit never does: a combined message is not one ticket's card.
                replyTo = await ResolveAsync(connection, row, message.ReplyTo, orCombined: true);
                target = await ResolveAsync(connection, row, message.Target, orCombined: false);
                if (message.Kind == OutboundKind.Edit && target is null)
                {
                    return await ResolveAsync(connection, row, message.Target, orCombined: true) is not null
                        ? new SendResult.Sent([])
                        : new SendResult.Failed("the message to edit was never sent");
                }
                if (message.LinkRole == LinkRoles.Ack && row.TicketId is { } acked
                    && await connection.ExecuteScalarAsync<long>(
                        "SELECT count(*) FROM tickets WHERE id = @acked AND first_response_at IS NOT NULL", new { acked }) > 0)
                {
                    // The answer overtook the acknowledgement: "please wait" would now be wrong.
                    return new SendResult.Sent([]);
                }
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

    private static async Task<string?> ResolveAsync(SqliteConnection connection, Row row, MessageRef? reference, bool orCombined) =>
        reference switch
        {
            null => null,
            { MessageId: { } id } => id,
            { TicketId: { } ticket, Role: LinkRoles.Card } =>
                await ResolveLinkAsync(connection, row, ticket, LinkRoles.Card)
                ?? (orCombined ? await ResolveLinkAsync(connection, row, ticket, LinkRoles.BatchCard) : null),
            { TicketId: { } ticket, Role: { } role } => await ResolveLinkAsync(connection, row, ticket, role),
            _ => null,
        };

    private static Task<string?> ResolveLinkAsync(SqliteConnection connection, Row row, long ticket, string role) =>
        connection.QueryFirstOrDefaultAsync<string>(
                """
                SELECT message_id FROM message_links
                WHERE ticket_id = @ticket AND role = @role AND channel = @channel AND chat_id = @chatId
                ORDER BY created_at DESC LIMIT 1
                """, new { ticket, role, channel = row.Channel, chatId = row.ChatId });

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

    private async Task RecordAsync(Row row, SendResult result, CancellationToken cancellationToken, string? linkRoleOverride = null)
    {
        var now = time.GetUtcNow();
        await using var session = await DeskSession.BeginAsync(database, cancellationToken);
        var connection = session.Connection;
        switch (result)
        {
            case SendResult.Sent sent:
                var linkRole = sent.MessageIds.Count > 0 && row.TicketId is not null ? linkRoleOverride ?? LinkRoleOf(row) : null;
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

            case SendResult.RetryLater { Paused: true } paused:
                // The channel is waiting for something outside this row: no attempt is used up.
                var resume = paused.After ?? _options.MaxBackoff;
                logger.LogDebug("Outbox row {OutboxId} to {Channel} chat {ChatId} waits ({Error}); tried again in {Delay}",
                    row.Id, row.Channel, row.ChatId, paused.Error, resume);
                await connection.ExecuteAsync(
                    "UPDATE outbox SET next_attempt_at = @next, last_error = @error WHERE id = @Id",
                    new { next = (now + resume).Ms(), error = paused.Error, row.Id }, session.Transaction);
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
                var unreachable = result is SendResult.Failed { Kind: FailureKind.RecipientUnreachable };
                logger.LogError("Parked outbox row {OutboxId} to {Channel} chat {ChatId} as dead after {Attempts} tries: {Error}",
                    row.Id, row.Channel, row.ChatId, row.Attempts + 1, error);
                await connection.ExecuteAsync(
                    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @error WHERE id = @Id",
                    new { error, row.Id }, session.Transaction);
                await NoteDeadAsync(session, row, error, unreachable, now);
                break;
        }
        await session.CommitAsync(cancellationToken);
        if (session.EnqueuedAny)
        {
            signal.Notify();
        }
    }

    /// <summary>
    /// A message to a citizen that can never be delivered is written on the ticket and told to the staff; when the
    /// platform will not reach the citizen at all (Zalo's messaging window), the staff are told to call instead.
    /// </summary>
    private async Task NoteDeadAsync(DeskSession session, Row row, string error, bool unreachable, DateTimeOffset now)
    {
        if (row.TicketId is not { } ticketId || row.ChatKind == ChatKinds.Staff)
        {
            return;
        }
        // The staff hear once per ticket that the citizen cannot be reached; later messages that fail the same way
        // only add to the ticket's record.
        var toldBefore = unreachable && await session.Connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM ticket_events WHERE ticket_id = @ticketId AND kind = 'CitizenUnreachable'",
            new { ticketId }, session.Transaction) > 0;
        await session.AddEventsAsync([new TicketEvent(ticketId, now, unreachable ? "CitizenUnreachable" : "DeliveryFailed", null, null, Actor.System, error)]);
        if (toldBefore)
        {
            return;
        }
        var staff = chats.Staff;
        await session.EnqueueAsync(staff.Channel, staff.ChatId, ChatKinds.Staff, Priority.Staff, ticketId, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = unreachable ? texts.CitizenUnreachable(ticketId, texts.ChannelName(row.Channel)) : texts.DeliveryFailed(ticketId, error),
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
