using System.Collections.Concurrent;
using System.Text.Json;
using HelpBot.Inbox;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging;

namespace HelpBot.Channels.ZaloBot;

/// <summary>
/// Translates a Zalo Bot Platform update into an <see cref="InboundEvent"/>, or null for what the desk
/// ignores. Reads the documented wrapped body (<c>{"ok":true,"result":{...}}</c>, also what getUpdates
/// returns) and the bare one real webhooks deliver.
/// </summary>
public sealed class ZaloBotUpdateReader(ZaloBot bot, TimeProvider time, ILogger<ZaloBotUpdateReader> logger)
{
    public const string Channel = HelpBot.Hosting.HostMode.ZaloBot;

    public const string TextReceived = "message.text.received";
    public const string ImageReceived = "message.image.received";
    public const string StickerReceived = "message.sticker.received";
    public const string UnsupportedReceived = "message.unsupported.received";
    public const string VoiceReceived = "message.voice.received";

    // Per instance, not static: one line per unknown event name per run is enough to notice a new event.
    private readonly ConcurrentDictionary<string, bool> _unknown = new(StringComparer.Ordinal);

    /// <summary>The update in a webhook body or a getUpdates result. Throws <see cref="JsonException"/> when it is not one.</summary>
    public InboundEvent? Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an update is a JSON object");
        }
        if (body.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            && body.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
        {
            body = result;
        }
        var update = body.Deserialize(ZaloBotJson.Default.ZaloUpdate);
        if (update?.EventName is not { Length: > 0 } name)
        {
            throw new JsonException("an update has an event_name");
        }
        return Map(update, name);
    }

    private InboundEvent? Map(ZaloUpdate update, string name)
    {
        var kind = name switch
        {
            TextReceived => InboundKind.Text,
            ImageReceived => InboundKind.Photo,
            StickerReceived => InboundKind.Sticker,
            VoiceReceived => InboundKind.Voice,
            UnsupportedReceived => InboundKind.Other,
            _ => (InboundKind?)null,
        };
        if (kind is null)
        {
            if (_unknown.TryAdd(name, true))
            {
                logger.LogWarning("Ignoring Zalo Bot updates of the unknown event {EventName}", name);
            }
            return null;
        }
        if (update.Message is not { MessageId: { Length: > 0 } messageId, Chat.Id: { Length: > 0 } chatId, From.Id: { Length: > 0 } fromId } m)
        {
            throw new JsonException("a message update has message_id, chat.id and from.id");
        }
        var chatKind = m.Chat.ChatType?.ToUpperInvariant() switch
        {
            "PRIVATE" => ChatKinds.Private,
            "GROUP" => ChatKinds.Group,
            _ => null,
        };
        if (chatKind is null)
        {
            logger.LogDebug("Skipped a Zalo Bot update from a chat of type {ChatType}", m.Chat.ChatType);
            return null;
        }
        var text = kind == InboundKind.Text ? m.Text : string.IsNullOrWhiteSpace(m.Caption) ? null : m.Caption;
        if (chatKind == ChatKinds.Group && text is not null)
        {
            text = WithoutLeadingMention(text, bot.MentionNames);
        }
        var attachment = kind switch
        {
            InboundKind.Photo => NullIfEmpty(m.PhotoUrl) ?? NullIfEmpty(m.Photo),
            InboundKind.Voice => NullIfEmpty(m.VoiceUrl),
            _ => null,
        };
        return new InboundEvent
        {
            Channel = Channel,
            // Zalo has no update id: the event and the message id identify a delivery, so a replay is dropped by the inbox.
            EventId = $"{name}:{messageId}",
            Kind = kind.Value,
            ChatId = chatId,
            ChatKind = chatKind,
            From = new InboundUser(fromId, NullIfEmpty(m.From.DisplayName) ?? NullIfEmpty(m.From.FirstName) ?? fromId, m.From.IsBot),
            MessageId = messageId,
            Text = text,
            // In a group the bot only hears messages that @mention it or quote its own messages: each one is addressed to it.
            MentionsBot = chatKind == ChatKinds.Group,
            SentAt = m.Date is > 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : time.GetUtcNow(),
            AttachmentUrl = attachment,
        };
    }

    /// <summary>
    /// "@HelpBot /claim 12" becomes "/claim 12": in a group the bot hears only messages that mention it, so a
    /// command or "#12 ..." starts with the mention. How Zalo writes the mention in the text is not documented;
    /// the bot's display and account names from getMe are tried.
    /// </summary>
    internal static string WithoutLeadingMention(string text, IReadOnlyList<string> names)
    {
        var t = text.TrimStart();
        if (!t.StartsWith('@'))
        {
            return text;
        }
        foreach (var name in names)
        {
            if (t.AsSpan(1).StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && (t.Length == name.Length + 1 || char.IsWhiteSpace(t[name.Length + 1]) || char.IsPunctuation(t[name.Length + 1])))
            {
                return t[(name.Length + 1)..].TrimStart(' ', ',', ':', '\u00A0');
            }
        }
        return text;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
