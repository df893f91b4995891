namespace HelpBot.Outbox;

/// <summary>What a send came to.</summary>
public abstract record SendResult
{
    /// <summary>Delivered; the platform's ids of the messages it created (several when a long text was split).</summary>
    public sealed record Sent(IReadOnlyList<string> MessageIds) : SendResult;

    /// <summary>
    /// A temporary failure (rate limit, server error, network): try again later. <paramref name="Paused"/> when the
    /// channel cannot send to anyone for now (no access token until an admin acts): the row waits without using up
    /// its attempts, however long that takes, and is never parked dead for it.
    /// </summary>
    public sealed record RetryLater(string Error, TimeSpan? After = null, bool Paused = false) : SendResult;

    /// <summary>Can never succeed (chat gone, bot blocked): park it. <paramref name="Kind"/> says when the staff need to act differently.</summary>
    public sealed record Failed(string Error, FailureKind Kind = FailureKind.Other) : SendResult;
}

/// <summary>Why a send can never succeed, when it matters to the team.</summary>
public enum FailureKind
{
    Other,
    /// <summary>The platform will not deliver to this person now (Zalo's messaging window, a block): reach them another way.</summary>
    RecipientUnreachable,
}

/// <summary>An outbox row ready for a channel: references resolved to the platform's message ids.</summary>
public sealed record Delivery(
    long OutboxId,
    string ChatId,
    string ChatKind,
    OutboundMessage Message,
    string? ReplyToMessageId,
    string? TargetMessageId,
    Func<CancellationToken, Task<Stream>>? OpenDocument);

/// <summary>A channel's sending side. Translates; decides nothing.</summary>
public interface IChannelSender
{
    string Channel { get; }

    SendBudget Budget { get; }

    Task<SendResult> SendAsync(Delivery delivery, CancellationToken cancellationToken);
}
