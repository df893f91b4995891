namespace HelpBot.Inbox;

/// <summary>What kind of thing arrived. Adapters map their platform's many update types onto these.</summary>
public enum InboundKind { Text, Photo, Document, Voice, Video, Sticker, Button, Other }

public sealed record InboundUser(string Id, string DisplayName, bool IsBot = false);

/// <summary>
/// One thing a person did in a chat, in channel-neutral form. Immutable; the adapter's only output.
/// Ids are strings so any platform's ids fit.
/// </summary>
public sealed record InboundEvent
{
    public required string Channel { get; init; }
    /// <summary>Unique per channel; the inbox's de-duplication key.</summary>
    public required string EventId { get; init; }
    public required InboundKind Kind { get; init; }
    public required string ChatId { get; init; }
    /// <summary><see cref="Tickets.ChatKinds.Private"/> or <see cref="Tickets.ChatKinds.Group"/>.</summary>
    public required string ChatKind { get; init; }
    public string? ChatTitle { get; init; }
    public required InboundUser From { get; init; }
    public string? MessageId { get; init; }
    /// <summary>The text, or the caption of a photo or file.</summary>
    public string? Text { get; init; }
    public string? ReplyToMessageId { get; init; }
    /// <summary>True when the replied-to message was written by this bot.</summary>
    public bool ReplyToBot { get; init; }
    /// <summary>Who wrote the replied-to message, and its text: what the person saw when replying.</summary>
    public InboundUser? ReplyToUser { get; init; }
    public string? ReplyToText { get; init; }
    /// <summary>True when the text names the bot (an @mention).</summary>
    public bool MentionsBot { get; init; }
    /// <summary>For <see cref="InboundKind.Button"/>: the button's data and the id to acknowledge.</summary>
    public string? ButtonData { get; init; }
    public string? ButtonQueryId { get; init; }
    /// <summary>For a button: the message that carried it.</summary>
    public string? ButtonMessageId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    /// <summary>Where the attachment can be fetched, when the platform gives a public address (Zalo does; Telegram does not).</summary>
    public string? AttachmentUrl { get; init; }

    public bool HasAttachment => Kind is InboundKind.Photo or InboundKind.Document or InboundKind.Voice or InboundKind.Video;
}
