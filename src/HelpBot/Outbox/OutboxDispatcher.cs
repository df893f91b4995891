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
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel);
    private readonly OutboxOptions _options = options.Value.Outbox;

    /// <summary>Sends everything that is due, waits for those sends, and says when the next row falls due.</summary>
    public async Task<DateTimeOffset?> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var state = new DispatchState(database);
        while (true)
        {
            var wake = await CycleAsync(state, cancellationToken);
            if (state.InFlight.Count == 0)
            {
                return wake;
            }
            await Task.WhenAny(state.InFlight.Tasks);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var state = new DispatchState(database);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wake = await CycleAsync(state, stoppingToken);
                failures = 0;
                // Wake on whichever comes first: a send finishing, new rows committed, or the next row falling due.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var signalled = signal.WaitAsync(wake, time, waiting.Token);
                await Task.WhenAny(state.InFlight.Tasks.Append(signalled));
                await waiting.CancelAsync();
                await signalled.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database is busy or broken: wait and go on; the rows are still there.
                failures++;
                try
                {
                    await state.Reader.DropAsync();
                }
                catch (Exception closing)
                {
                    logger.LogWarning(closing, "Closing the outbox's connection after a failure failed too");
                }
                logger.LogError(ex, "Outbox dispatch failed ({Failures} in a row); retrying", failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), time, stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        // Sends already on the wire finish and are recorded, so a restart does not send them twice.
        await Task.WhenAll(state.InFlight.Tasks);
        await RecordFinishedAsync(state);
    }

    /// <summary>
    /// Records the sends that finished, together with any whose record failed before. Not cancellable: a message
    /// that went out is recorded, or it would be sent again. If the commit fails, they stay owed and nothing is read
    /// or sent until they are recorded (reading first would find them still pending and send them twice).
    /// </summary>
    private async Task RecordFinishedAsync(DispatchState state)
    {
        state.Unrecorded.AddRange(state.InFlight.Reap());
        if (state.Unrecorded.Count > 0)
        {
            await RecordAsync(state, state.Unrecorded);
            state.Unrecorded.Clear();
        }
    }

    /// <summary>What one send came to, and the role its message plays for the ticket.</summary>
    private sealed record Outcome(PendingRow Row, SendResult Result, string? LinkRole);

    /// <summary>What the dispatcher knows between two cycles: the pending rows, the sends under way, its connection.</summary>
    private sealed class DispatchState(Database database) : IAsyncDisposable
    {
        public PendingRows Pending { get; } = new();
        public InFlight InFlight { get; } = new();

        /// <summary>False until the pending rows are read, and again when memory may differ from the database.</summary>
        public bool Loaded { get; set; }

        /// <summary>Sends that finished but whose record failed to commit: recorded before anything is read or sent again.</summary>
        public List<Outcome> Unrecorded { get; } = [];

        /// <summary>The signal's version when the outbox was last read for new rows.</summary>
        public long SeenVersion { get; set; } = -1;

        /// <summary>
        /// The connection the loop reads through, kept open between cycles so its statements stay compiled; dropped after
        /// a failure, so the next cycle opens a fresh one.
        /// </summary>
        public KeptConnection Reader { get; } = new(database);

        public ValueTask DisposeAsync() => Reader.DropAsync();
    }

    /// <summary>
    /// The sends under way, by row and by queue. A queue is a chat whose sends are rate-limited (one at a
    /// time keeps its budget exact), otherwise a chat and ticket: a ticket's messages stay in order (card
    /// before its edits and relays) while different tickets' messages go side by side.
    /// </summary>
    private sealed class InFlight
    {
        private readonly Dictionary<long, (Task<IReadOnlyList<Outcome>> Task, (string, string, long?) Queue, bool Ordered)> _rows = [];
        private readonly HashSet<(string, string, long?)> _queues = [];

        public int Count => _rows.Count;
        public IEnumerable<Task> Tasks => _rows.Values.Select(r => (Task)r.Task).ToList();

        public bool Holds(PendingRow row, (string, string, long?) queue) => _rows.ContainsKey(row.Id) || (row.Ordered && _queues.Contains(queue));

        public void Add(PendingRow row, (string, string, long?) queue, Task<IReadOnlyList<Outcome>> task)
        {
            _rows[row.Id] = (task, queue, row.Ordered);
            if (row.Ordered)
            {
                _queues.Add(queue);
            }
        }

        /// <summary>Takes the finished sends off the list and returns what they came to.</summary>
        public List<Outcome> Reap()
        {
            var outcomes = new List<Outcome>();
            foreach (var (id, entry) in _rows.Where(r => r.Value.Task.IsCompleted).ToList())
            {
                _rows.Remove(id);
                if (entry.Ordered)
                {
                    _queues.Remove(entry.Queue);
                }
                // Sends catch their own failures; a task cannot fault, but if one did its rows would simply be read again.
                if (entry.Task.IsCompletedSuccessfully)
                {
                    outcomes.AddRange(entry.Task.Result);
                }
            }
            return outcomes;
        }
    }

    /// <summary>
    /// One turn of the dispatcher: records every send that finished since the last turn in one transaction,
    /// reads the rows committed since, and starts every send that may go now. Returns when the next one may.
    /// </summary>
    private async Task<DateTimeOffset?> CycleAsync(DispatchState state, CancellationToken cancellationToken)
    {
        await RecordFinishedAsync(state);
        // The version is taken before reading, so rows committed while the query runs are read on the next turn,
        // and noted only once the read succeeded, so a failed read is tried again.
        var version = signal.Version;
        if (!state.Loaded)
        {
            state.Pending.Clear();
            await LoadAsync(state, after: 0, cancellationToken);
            state.Loaded = true;
            state.SeenVersion = version;
        }
        else if (version != state.SeenVersion)
        {
            await LoadAsync(state, after: state.Pending.LastId, cancellationToken);
            state.SeenVersion = version;
        }
        return await StartDueAsync(state, cancellationToken);
    }

    /// <summary>Reads the pending rows with ids above <paramref name="after"/> (0: all of them) into memory.</summary>
    private static async Task LoadAsync(DispatchState state, long after, CancellationToken cancellationToken)
    {
        var connection = await state.Reader.GetAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRow>(
            """
            SELECT id AS Id, channel AS Channel, chat_id AS ChatId, chat_kind AS ChatKind, kind AS Kind, priority AS Priority,
                   ticket_id AS TicketId, attempts AS Attempts, next_attempt_at AS NextAttemptAt
            FROM outbox
            WHERE id > @after AND state = 'pending'
            ORDER BY id
            """, new { after });
        foreach (var row in rows)
        {
            state.Pending.Add(row);
        }
    }

    /// <summary>Starts every send that may go now; returns when the next one may.</summary>
    private async Task<DateTimeOffset?> StartDueAsync(DispatchState state, CancellationToken cancellationToken)
    {
        var inFlight = state.InFlight;
        if (inFlight.Count >= _options.Concurrency)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        long? wakeAt = null;
        var heads = new HashSet<(string, string, long?)>();
        var chosen = new List<(PendingRow Row, (string, string, long?) Queue, IChannelSender Sender)>();
        // Candidates come in (priority, id) order: the first due one of a queue is its head; the rest wait.
        foreach (var row in state.Pending.Candidates)
        {
            if (inFlight.Count + chosen.Count >= _options.Concurrency)
            {
                break;
            }
            if (row.NextAttemptAt > nowMs)
            {
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, row.NextAttemptAt);
                continue;
            }
            var limited = _senders.TryGetValue(row.Channel, out var owner) && owner.Budget.Limits is var l
                && (row.ChatKind == ChatKinds.Private ? l.PerChatPerSecond > 0 : l.PerGroupPerMinute > 0);
            var queue = (row.Channel, row.ChatId, limited ? (long?)null : row.TicketId ?? 0);
            if (inFlight.Holds(row, queue) || (row.Ordered && !heads.Add(queue)))
            {
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
            chosen.Add((row, queue, sender));
        }
        if (chosen.Count > 0)
        {
            var connection = await state.Reader.GetAsync(cancellationToken);
            // The database is the truth at the moment of sending: a row parked or erased (/forget) since it was read
            // is not sent, and its payload is read only now, so memory holds no message texts.
            var current = (await connection.QueryAsync<StoredSend>(
                    "SELECT id AS Id, payload AS Payload, attempts AS Attempts, next_attempt_at AS NextAttemptAt FROM outbox WHERE id IN @ids AND state = 'pending'",
                    new { ids = chosen.Select(c => c.Row.Id).ToList() }))
                .ToDictionary(r => r.Id);
            foreach (var (row, queue, sender) in chosen)
            {
                if (!current.TryGetValue(row.Id, out var stored))
                {
                    state.Pending.Remove(row.Id);
                    continue;
                }
                row.Attempts = stored.Attempts;
                if (stored.NextAttemptAt != row.NextAttemptAt)
                {
                    row.NextAttemptAt = stored.NextAttemptAt;
                    if (row.NextAttemptAt > nowMs)
                    {
                        wakeAt = Math.Min(wakeAt ?? long.MaxValue, row.NextAttemptAt);
                        continue;
                    }
                }
                inFlight.Add(row, queue, await PrepareAsync(connection, state.Pending, row, stored.Payload, sender, now));
            }
        }
        return wakeAt is { } w ? DateTimeOffset.FromUnixTimeMilliseconds(w) : null;
    }

    /// <summary>
    /// Reads what a row needs before it can go (the platform ids it refers to) and starts its send, or settles it at
    /// once when there is nothing to send.
    /// </summary>
    private async Task<Task<IReadOnlyList<Outcome>>> PrepareAsync(
        SqliteConnection connection, PendingRows pending, PendingRow row, string payload, IChannelSender sender, DateTimeOffset now)
    {
        var linkRole = LinkRoleOf(payload);
        var batch = await BatchAsync(connection, row, payload, linkRole, sender, now);
        if (batch.Count > 1)
        {
            return RunBatchAsync(batch, sender);
        }
        OutboundMessage message;
        try
        {
            message = JsonSerializer.Deserialize(payload, OutboundJson.Default.OutboundMessage)!;
        }
        catch (JsonException ex)
        {
            return Settled(row, new SendResult.Failed($"unreadable payload: {ex.Message}"));
        }
        // A reply under a card goes under the combined message when the ticket was announced in one;
        // an edit never does: a combined message is not one ticket's card.
        var replyTo = await ResolveAsync(connection, row, message.ReplyTo, orCombined: true);
        var target = await ResolveAsync(connection, row, message.Target, orCombined: false);
        if (message.Kind == OutboundKind.Edit && pending.HasLaterOfKind(row, nameof(OutboundKind.Edit))
            && await IsSupersededAsync(connection, row, message))
        {
            // A card edited twice before the first edit went out: only the last one needs sending.
            return Settled(row, new SendResult.Sent([]));
        }
        if (message.Kind == OutboundKind.Edit && target is null)
        {
            return Settled(row, await ResolveAsync(connection, row, message.Target, orCombined: true) is not null
                ? new SendResult.Sent([])
                : new SendResult.Failed("the message to edit was never sent"));
        }
        if (message.LinkRole == LinkRoles.Ack && row.TicketId is { } acked
            && await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM tickets WHERE id = @acked AND first_response_at IS NOT NULL", new { acked }) > 0)
        {
            // The answer overtook the acknowledgement: "please wait" would now be wrong.
            return Settled(row, new SendResult.Sent([]));
        }
        var delivery = new Delivery(row.Id, row.ChatId, row.ChatKind, message, replyTo, target,
            message.Document is { } doc ? ct => RenderDocumentAsync(doc, ct) : null);
        return RunAsync(row, delivery, linkRole, sender);
    }

    /// <summary>True when a later pending edit replaces the whole of the same message (its text and buttons).</summary>
    private static async Task<bool> IsSupersededAsync(SqliteConnection connection, PendingRow row, OutboundMessage edit)
    {
        var later = await connection.QueryAsync<string>(
            """
            SELECT payload FROM outbox
            WHERE state = 'pending' AND channel = @Channel AND chat_id = @ChatId AND ticket_id IS @TicketId AND kind = 'Edit' AND id > @Id
            """, new { row.Channel, row.ChatId, row.TicketId, row.Id });
        return later.Select(p => JsonSerializer.Deserialize(p, OutboundJson.Default.OutboundMessage))
            .Any(m => m is { Text: not null } && m.Target == edit.Target);
    }

    private static Task<IReadOnlyList<Outcome>> Settled(PendingRow row, SendResult result) =>
        Task.FromResult<IReadOnlyList<Outcome>>([new Outcome(row, result, null)]);

    /// <summary>Most rows a combined message carries: cards (one claim button each), acknowledgements.</summary>
    private const int MaxCardsPerMessage = 30;
    private const int MaxAcksPerMessage = 40;
    /// <summary>Well under a platform's longest message, so a combined message is always one send.</summary>
    private const int MaxCombinedLength = 3600;

    /// <summary>
    /// When a group's budget cannot carry its queue of new cards (or acknowledgements) one by one within the
    /// window, the head row takes the next ones of its kind along into one combined message.
    /// </summary>
    private static async Task<IReadOnlyList<(PendingRow Row, OutboundMessage Message)>> BatchAsync(
        SqliteConnection connection, PendingRow head, string headPayload, string? role, IChannelSender sender, DateTimeOffset now)
    {
        if (head.Kind != nameof(OutboundKind.Text) || head.ChatKind == ChatKinds.Private || sender.Budget.Limits.PerGroupPerMinute <= 0)
        {
            return [];
        }
        if (role is not (LinkRoles.Card or LinkRoles.Ack) || !headPayload.Contains("\"BatchLine\"", StringComparison.Ordinal))
        {
            return [];
        }
        var max = role == LinkRoles.Card ? MaxCardsPerMessage : MaxAcksPerMessage;
        var queue = (await connection.QueryAsync<QueuedText>(
            """
            SELECT id AS Id, ticket_id AS TicketId, payload AS Payload, attempts AS Attempts
            FROM outbox
            WHERE state = 'pending' AND channel = @Channel AND chat_id = @ChatId AND priority = @Priority AND kind = 'Text'
              AND next_attempt_at <= @now AND id >= @Id
            ORDER BY id LIMIT 500
            """, new { head.Channel, head.ChatId, head.Priority, head.Id, now = now.ToUnixTimeMilliseconds() })).AsList();
        var same = queue.Where(r => LinkRoleOf(r.Payload) == role && r.Payload.Contains("\"BatchLine\"", StringComparison.Ordinal)).ToList();
        // Coalesce only when sending one by one would not fit the group's minute.
        if (same.Count <= sender.Budget.Remaining(head.ChatId, head.ChatKind, now) + 1)
        {
            return [];
        }
        var batch = new List<(PendingRow, OutboundMessage)>();
        var length = 200;
        foreach (var r in same.Take(max))
        {
            var message = JsonSerializer.Deserialize(r.Payload, OutboundJson.Default.OutboundMessage)!;
            length += (message.BatchLine?.Length ?? 0) + 2;
            if (batch.Count > 0 && length > MaxCombinedLength)
            {
                break;
            }
            var row = r.Id == head.Id ? head : new PendingRow
            {
                Id = r.Id, Channel = head.Channel, ChatId = head.ChatId, ChatKind = head.ChatKind, Kind = head.Kind,
                Priority = head.Priority, TicketId = r.TicketId, Attempts = r.Attempts,
            };
            batch.Add((row, message));
        }
        return batch;
    }

    // Deliberately not cancellable, like RunAsync.
    private async Task<IReadOnlyList<Outcome>> RunBatchAsync(IReadOnlyList<(PendingRow Row, OutboundMessage Message)> batch, IChannelSender sender)
    {
        await Task.Yield();
        var head = batch[0].Row;
        var cards = batch[0].Message.LinkRole == LinkRoles.Card;
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
        logger.LogInformation("Combined {Count} {Kind} into one message to {Channel} chat {ChatId} to stay within its limit",
            batch.Count, cards ? "cards" : "acknowledgements", head.Channel, head.ChatId);
        return batch.Select(b => new Outcome(b.Row, result, cards ? LinkRoles.BatchCard : LinkRoles.Ack)).ToList();
    }

    // Deliberately not cancellable: once a send has started, it finishes and its outcome is recorded.
    // Cancelling in between would leave a delivered message marked pending, and send it twice.
    private async Task<IReadOnlyList<Outcome>> RunAsync(PendingRow row, Delivery delivery, string? linkRole, IChannelSender sender)
    {
        await Task.Yield();
        SendResult result;
        try
        {
            result = await sender.SendAsync(delivery, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending outbox row {OutboxId} to {Channel} threw", row.Id, row.Channel);
            result = new SendResult.RetryLater(ex.GetType().Name);
        }
        return [new Outcome(row, result, linkRole)];
    }

    private static async Task<string?> ResolveAsync(SqliteConnection connection, PendingRow row, MessageRef? reference, bool orCombined) =>
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

    private static Task<string?> ResolveLinkAsync(SqliteConnection connection, PendingRow row, long ticket, string role) =>
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

    /// <summary>
    /// Records what the finished sends came to, all in one transaction, then updates the rows in memory. If the
    /// transaction fails the rows stay pending in the database and are read again: at least once, never lost.
    /// </summary>
    private async Task RecordAsync(DispatchState state, IReadOnlyList<Outcome> outcomes)
    {
        var now = time.GetUtcNow();
        var retries = new Dictionary<long, (long Next, bool CountsAsAttempt)>();
        state.Loaded = false;
        await using var session = await DeskSession.BeginAsync(database, CancellationToken.None);
        var connection = session.Connection;
        foreach (var (row, result, role) in outcomes)
        {
            switch (result)
            {
                case SendResult.Sent sent:
                    if (sent.MessageIds.Count > 0 && row.TicketId is { } ticketId && role is not null)
                    {
                        foreach (var id in sent.MessageIds)
                        {
                            await session.AddLinkAsync(row.Channel, row.ChatId, id, ticketId, role, now);
                        }
                    }
                    await connection.ExecuteAsync(
                        "UPDATE outbox SET state = 'sent', sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @Id",
                        new { now = now.Ms(), row.Id }, session.Transaction);
                    break;

                case SendResult.RetryLater { Paused: true } paused:
                    // The channel is waiting for something outside this row: no attempt is used up.
                    var resume = paused.After ?? _options.MaxBackoff;
                    retries[row.Id] = ((now + resume).ToUnixTimeMilliseconds(), false);
                    logger.LogDebug("Outbox row {OutboxId} to {Channel} chat {ChatId} waits ({Error}); tried again in {Delay}",
                        row.Id, row.Channel, row.ChatId, paused.Error, resume);
                    await connection.ExecuteAsync(
                        "UPDATE outbox SET next_attempt_at = @next, last_error = @error WHERE id = @Id",
                        new { next = retries[row.Id].Next, error = paused.Error, row.Id }, session.Transaction);
                    break;

                case SendResult.RetryLater retry when row.Attempts + 1 < _options.MaxAttempts:
                    var backoff = retry.After ?? Backoff(row.Attempts + 1);
                    retries[row.Id] = ((now + backoff).ToUnixTimeMilliseconds(), true);
                    logger.LogWarning("Send of outbox row {OutboxId} to {Channel} chat {ChatId} failed ({Error}); try {Attempt} again in {Delay}",
                        row.Id, row.Channel, row.ChatId, retry.Error, row.Attempts + 1, backoff);
                    await connection.ExecuteAsync(
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id = @Id",
                        new { next = retries[row.Id].Next, error = retry.Error, row.Id }, session.Transaction);
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
        }
        await session.CommitAsync(CancellationToken.None);
        foreach (var (row, _, _) in outcomes)
        {
            if (retries.TryGetValue(row.Id, out var retry))
            {
                // A row sent as part of a combined message is a copy: the one held in memory must learn its retry too,
                // or it would look due and take budget for a send the database check then skips.
                foreach (var held in new[] { row, state.Pending.Find(row.Id) }.OfType<PendingRow>().Distinct())
                {
                    held.NextAttemptAt = retry.Next;
                    if (retry.CountsAsAttempt)
                    {
                        held.Attempts++;
                    }
                }
            }
            else
            {
                state.Pending.Remove(row.Id);
            }
        }
        state.Loaded = true;
        if (session.EnqueuedAny)
        {
            signal.Notify();
        }
    }

    /// <summary>
    /// A message to a citizen that can never be delivered is written on the ticket and told to the staff; when the
    /// platform will not reach the citizen at all (Zalo's messaging window), the staff are told to call instead.
    /// </summary>
    private async Task NoteDeadAsync(DeskSession session, PendingRow row, string error, bool unreachable, DateTimeOffset now)
    {
        if (row.TicketId is not { } ticketId || row.ChatKind == ChatKinds.Staff)
        {
            return;
        }
        // The staff hear once per ticket that the citizen cannot be reached; later messages that fail the same way
        // only add to the ticket's record.
        // The citizen writing again reopens Zalo's window: a later failure is news again.
        var toldBefore = unreachable && await session.Connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM ticket_events u
            WHERE u.ticket_id = @ticketId AND u.kind = 'CitizenUnreachable'
              AND NOT EXISTS (SELECT 1 FROM ticket_events c JOIN tickets t ON t.id = c.ticket_id
                              WHERE c.ticket_id = @ticketId AND c.actor_id = t.channel || ':' || t.citizen_id AND c.at > u.at)
            """,
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

    private static string? LinkRoleOf(string payload)
    {
        // Avoid a second JSON parse on the hot path: the role is a short, known string.
        var marker = "\"LinkRole\":\"";
        var start = payload.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += marker.Length;
        var end = payload.IndexOf('"', start);
        return end < 0 ? null : payload[start..end];
    }

    private TimeSpan Backoff(long attempt)
    {
        var seconds = Math.Min(_options.MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A pending send as the database has it when it is about to go out.</summary>
    internal sealed record StoredSend(long Id, string Payload, long Attempts, long NextAttemptAt);

    /// <summary>A queued text that may be combined with others into one message.</summary>
    internal sealed record QueuedText(long Id, long? TicketId, string Payload, long Attempts);
}
