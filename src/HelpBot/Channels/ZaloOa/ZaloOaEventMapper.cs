using System.Globalization;
using System.Text.Json;
using HelpBot.Hosting;
using HelpBot.Inbox;
using HelpBot.Tickets;

namespace HelpBot.Channels.ZaloOa;

/// <summary>What a webhook body came to: an event for the inbox, nothing to do, or a body that will never make sense.</summary>
public sealed record ZaloOaMapped(InboundEvent? Event, string? Problem = null);

/// <summary>
/// Turns an OA webhook event into an <see cref="InboundEvent"/>. A person's message to the OA (<c>user_send_*</c>) is a
/// private chat with the sender's id; a message in a group (<c>user_send_group_*</c>) is a group chat whose id is the
/// group's (<c>recipient.id</c>). The OA's own messages coming back (<c>oa_send_*</c>), follows, receipts and group
/// changes are not messages to the help desk. Events carry no names, so people are called by the end of their id.
/// </summary>
public static class ZaloOaEventMapper
{
    public const string Channel = HostMode.ZaloOa;

    private const string Private = "user_send_";
    private const string Group = "user_send_group_";

    /// <param name="oaId">When set, a person's message to another OA is not this help desk's (an app may serve several OAs).</param>
    public static ZaloOaMapped Map(JsonElement root, string? oaId = null)
    {
        if (root.ValueKind != JsonValueKind.Object || String(root, "event_name") is not { } name)
        {
            return new ZaloOaMapped(null, "no event_name");
        }
        var inGroup = name.StartsWith(Group, StringComparison.Ordinal);
        if (!inGroup && !name.StartsWith(Private, StringComparison.Ordinal))
        {
            return new ZaloOaMapped(null);
        }
        var type = name[(inGroup ? Group : Private).Length..];
        var sender = Object(root, "sender") is { } s ? String(s, "id") : null;
        var recipient = Object(root, "recipient") is { } r ? String(r, "id") : null;
        var message = Object(root, "message");
        var messageId = message is { } m ? String(m, "msg_id") : null;
        if (sender is null || messageId is null || (inGroup && recipient is null))
        {
            return new ZaloOaMapped(null, $"{name} without sender, recipient or msg_id");
        }
        if (!inGroup && !string.IsNullOrWhiteSpace(oaId) && recipient is not null && recipient != oaId.Trim())
        {
            return new ZaloOaMapped(null, $"{name} to another OA than HelpBot:Zalo:OA:OaId");
        }
        var payload = message is { } withAttachments && withAttachments.TryGetProperty("attachments", out var list)
            && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 && Object(list[0], "payload") is { } p ? p : (JsonElement?)null;
        var url = payload is { } pl ? String(pl, "url") : null;
        var kind = type switch
        {
            "text" => InboundKind.Text,
            "image" => InboundKind.Photo,
            "file" => InboundKind.Document,
            "audio" => InboundKind.Voice,
            "video" => InboundKind.Video,
            "sticker" or "gif" => InboundKind.Sticker,
            "link" => InboundKind.Text,
            _ => InboundKind.Other, // location, business_card, and whatever Zalo adds
        };
        var text = String(message!.Value, "text");
        if (type == "link" && string.IsNullOrWhiteSpace(text))
        {
            text = url;
        }
        var quoted = String(message.Value, "quote_msg_id")
            ?? (Object(message.Value, "quote_msg") is { } q ? String(q, "msg_id") : null);
        return new ZaloOaMapped(new InboundEvent
        {
            Channel = Channel,
            EventId = $"{name}:{messageId}",
            Kind = kind,
            ChatId = inGroup ? recipient! : sender,
            ChatKind = inGroup ? ChatKinds.Group : ChatKinds.Private,
            From = new InboundUser(sender, DisplayName(sender)),
            MessageId = messageId,
            Text = text,
            ReplyToMessageId = quoted,
            SentAt = SentAt(root),
            AttachmentUrl = kind is InboundKind.Photo or InboundKind.Document or InboundKind.Voice or InboundKind.Video ? url : null,
        });
    }

    /// <summary>Webhook events carry no names; "Người dùng Zalo …1234" tells people apart on a card without a lookup per message.</summary>
    public static string DisplayName(string userId) =>
        $"Người dùng Zalo …{(userId.Length > 4 ? userId[^4..] : userId)}";

    /// <summary>The body's <c>timestamp</c> exactly as sent (a string of epoch milliseconds; a number is taken as written).</summary>
    public static string Timestamp(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("timestamp", out var t)
            ? t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : t.ValueKind == JsonValueKind.Number ? t.GetRawText() : ""
            : "";

    private static DateTimeOffset SentAt(JsonElement root) =>
        long.TryParse(Timestamp(root), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : default;

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    // Ids are strings in every sample; a number is read as written, never through a double.
    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
