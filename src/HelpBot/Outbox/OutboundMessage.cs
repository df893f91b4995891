using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpBot.Outbox;

public enum OutboundKind
{
    /// <summary>Send a text.</summary>
    Text,
    /// <summary>Copy an existing message (a photo, a file, a voice note) without re-uploading it.</summary>
    Copy,
    /// <summary>Replace the text and buttons of a message the bot sent earlier.</summary>
    Edit,
    /// <summary>Acknowledge a button press, optionally with a short notice.</summary>
    ButtonAnswer,
    /// <summary>Send a file the bot renders at send time (an export).</summary>
    Document,
    /// <summary>Send a photo by its public address (an attachment carried from another channel).</summary>
    Photo,
}

public sealed record OutboundButton(string Text, string Data);

/// <summary>A person named in a message, by their channel user id.</summary>
public sealed record OutboundMention(string UserId, string Name);

/// <summary>
/// Which message a send refers to. Either a known remote id, or "the message linked to ticket N in role R",
/// resolved when the row is sent because the card's id only exists once the card has been sent.
/// </summary>
public sealed record MessageRef(string? MessageId = null, long? TicketId = null, string? Role = null)
{
    public static MessageRef Remote(string messageId) => new(MessageId: messageId);
    public static MessageRef Linked(long ticketId, string role) => new(TicketId: ticketId, Role: role);
}

/// <summary>One thing to send, stored as JSON in an outbox row until it has been sent.</summary>
public sealed record OutboundMessage
{
    public required OutboundKind Kind { get; init; }
    public string? Text { get; init; }
    public MessageRef? ReplyTo { get; init; }
    /// <summary>For <see cref="OutboundKind.Edit"/>: the message to edit.</summary>
    public MessageRef? Target { get; init; }
    /// <summary>Rows of inline buttons.</summary>
    public IReadOnlyList<IReadOnlyList<OutboundButton>>? Buttons { get; init; }
    /// <summary>For <see cref="OutboundKind.Copy"/>: where the original is.</summary>
    public string? FromChatId { get; init; }
    public string? FromMessageId { get; init; }
    /// <summary>For <see cref="OutboundKind.Photo"/>: the photo's public address.</summary>
    public string? MediaUrl { get; init; }
    /// <summary>For <see cref="OutboundKind.Copy"/> and <see cref="OutboundKind.Photo"/>: a caption (replaces the original's).</summary>
    public string? Caption { get; init; }
    /// <summary>For <see cref="OutboundKind.ButtonAnswer"/>.</summary>
    public string? ButtonQueryId { get; init; }
    /// <summary>For <see cref="OutboundKind.Document"/>: what to render and the file's name.</summary>
    public DocumentRequest? Document { get; init; }
    /// <summary>When sent, link the new message to the ticket in this role (card, ack, answer, relay).</summary>
    public string? LinkRole { get; init; }
    /// <summary>This message's line in a combined message, when the outbox announces several at once.</summary>
    public string? BatchLine { get; init; }

    /// <summary>
    /// The one person the message is for, in a chat others can read (a citizen in a group): on a channel without
    /// buttons, only their numbered answer counts as pressing this message's buttons.
    /// </summary>
    public string? Addressee { get; init; }

    /// <summary>People named in <see cref="Text"/> whom the platform should notify (a mention by user id).</summary>
    public IReadOnlyList<OutboundMention>? Mentions { get; init; }
}

public sealed record DocumentRequest(string Kind, string FileName, DateOnly? From = null, DateOnly? To = null);

[JsonSerializable(typeof(OutboundMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
internal sealed partial class OutboundJson : JsonSerializerContext
{
    // Declared types for code that hands the JSON to Dapper: its generator cannot see this context's generated
    // members, and a value whose type it cannot see makes it leave the call to plain Dapper.
    public static string Write(OutboundMessage message) => JsonSerializer.Serialize(message, Default.OutboundMessage);
}
