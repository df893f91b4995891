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
/// Sends what the inbox committed. One message at a time per chat, in (priority, id) order, within each
/// channel's budgets; stores the platform's message ids in <c>message_links</c>; retries temporary
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
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel);
    private readonly OutboxOptions _options = options.Value.Outbox;

    /// <summary>Sends everything due now; returns when nothing more can go until later. For tests and shutdown.</summary>
    public async Task<TimeSpan?> DispatchDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (batch, nextWake) = await PickAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return nextWake;
            }
            // Each send records its own outcome as soon as it has one: a card's message id must be known
            // before a team member can reply to it, not after the slowest send of the batch.
            using var gate = new SemaphoreSlim(_options.Concurrency);
            await Task.WhenAll(batch.Select(async item =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var result = await SendOneAsync(item.Row, item.Sender, cancellationToken);
                    await RecordAsync(item.Row, result, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var nextWake = await DispatchDueAsync(stoppingToken);
                failures = 0;
                await signal.WaitAsync(nextWake ?? Timeout.InfiniteTimeSpan, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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
    }

    private sealed record Row(long Id, string Channel, string ChatId, string ChatKind, long Priority, long? TicketId, string Payload, long Attempts, long NextAttemptAt);

    private async Task<(List<(Row Row, IChannelSender Sender)> Batch, TimeSpan? NextWake)> PickAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT id AS Id, channel AS Channel, chat_id AS ChatId, chat_kind AS ChatKind, priority AS Priority,
                   ticket_id AS TicketId, payload AS Payload, attempts AS Attempts, next_attempt_at AS NextAttemptAt
            FROM outbox WHERE state = 'pending' ORDER BY priority, id LIMIT @Window
            """, new { Window });
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var heads = new HashSet<(string, string)>();
        var batch = new List<(Row, IChannelSender)>();
        long? wakeAt = null;
        foreach (var row in rows)
        {
            // Only the first pending row of a chat may go: a chat's messages arrive in order.
            if (!heads.Add((row.Channel, row.ChatId)))
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
            var chatLimited = !row.Payload.Contains("\"Kind\":\"ButtonAnswer\"", StringComparison.Ordinal);
            if (!sender.Budget.TryAcquire(row.ChatId, row.ChatKind, chatLimited, now, out var wait))
            {
                wakeAt = Math.Min(wakeAt ?? long.MaxValue, nowMs + Math.Max(1, (long)wait.TotalMilliseconds));
                continue;
            }
            batch.Add((row, sender));
        }
        return (batch, wakeAt is { } w ? TimeSpan.FromMilliseconds(Math.Max(0, w - nowMs)) : null);
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
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
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
