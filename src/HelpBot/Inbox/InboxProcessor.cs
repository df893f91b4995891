using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging;

namespace HelpBot.Inbox;

/// <summary>
/// Takes a batch of inbound events and handles them in one transaction: the inbox row (which drops
/// redeliveries), every state change and every outbox row commit together. The caller acknowledges the
/// batch to the platform only after this returns.
/// </summary>
public sealed class InboxProcessor(Database database, Router router, OutboxSignal signal, TimeProvider time, ILogger<InboxProcessor> logger)
{
    public async Task ProcessAsync(IReadOnlyList<InboundEvent> batch, CancellationToken cancellationToken = default)
    {
        if (batch.Count == 0)
        {
            return;
        }
        await using var session = await DeskSession.BeginAsync(database, cancellationToken);
        foreach (var e in batch)
        {
            if (!await session.TryRecordInboxAsync(e.Channel, e.EventId, time.GetUtcNow()))
            {
                logger.LogDebug("Dropped redelivered {Channel} event {EventId}", e.Channel, e.EventId);
                continue;
            }
            // A savepoint per event: one event that fails is undone and marked, the rest of the batch goes on.
            var ok = await session.TryInSavepointAsync(
                () => router.RouteAsync(session, e),
                ex => logger.LogError(ex, "Failed to handle {Channel} event {EventId} ({Kind}) in chat {ChatId}", e.Channel, e.EventId, e.Kind, e.ChatId));
            if (!ok)
            {
                await session.SetInboxOutcomeAsync(e.Channel, e.EventId, "failed");
                if (e.ChatKind == ChatKinds.Private && e.MessageId is not null)
                {
                    await session.EnqueueAsync(e.Channel, e.ChatId, e.ChatKind, Priority.Acknowledgement, null, new OutboundMessage
                    {
                        Kind = OutboundKind.Text,
                        Text = router.Texts.SomethingWentWrong,
                        ReplyTo = MessageRef.Remote(e.MessageId),
                    }, time.GetUtcNow());
                }
            }
        }
        await session.CommitAsync(cancellationToken);
        if (session.EnqueuedAny)
        {
            signal.Notify();
        }
    }
}
