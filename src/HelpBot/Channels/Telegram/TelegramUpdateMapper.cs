using HelpBot.Inbox;
using HelpBot.Tickets;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.Enums;

namespace HelpBot.Channels.Telegram;

/// <summary>The bot's own identity, from getMe.</summary>
public sealed record BotIdentity(long Id, string Username);

/// <summary>Translates a Telegram update into an <see cref="InboundEvent"/>, or null for what the desk ignores.</summary>
public static class TelegramUpdateMapper
{
    public const string Channel = HelpBot.Hosting.HostMode.Telegram;

    public static InboundEvent? Map(Update update, BotIdentity bot)
    {
        var eventId = $"{bot.Id}:{update.Id}";
        if (update.CallbackQuery is { Message: { } carrier } query)
        {
            var chat = ChatKind(carrier.Chat);
            if (chat is null)
            {
                return null;
            }
            return new InboundEvent
            {
                Channel = Channel,
                EventId = eventId,
                Kind = InboundKind.Button,
                ChatId = Id(carrier.Chat.Id),
                ChatKind = chat,
                ChatTitle = carrier.Chat.Title,
                From = User(query.From),
                ButtonData = query.Data,
                ButtonQueryId = query.Id,
                ButtonMessageId = Id(carrier.Id),
                SentAt = carrier.Date,
            };
        }
        // Edits, channel posts and membership changes are not questions; they are acknowledged and dropped.
        if (update.Message is not { From: { } from } message || ChatKind(message.Chat) is not { } kind)
        {
            return null;
        }
        var text = message.Text ?? message.Caption;
        var inboundKind = message.Type switch
        {
            MessageType.Text => InboundKind.Text,
            MessageType.Photo => InboundKind.Photo,
            MessageType.Document => InboundKind.Document,
            MessageType.Voice or MessageType.Audio => InboundKind.Voice,
            MessageType.Video or MessageType.VideoNote or MessageType.Animation => InboundKind.Video,
            MessageType.Sticker => InboundKind.Sticker,
            _ => InboundKind.Other,
        };
        if (inboundKind == InboundKind.Text && text is not null && text.StartsWith('/'))
        {
            text = CommandFor(text, bot);
            if (text is null)
            {
                return null; // "/start@another_bot": not for us.
            }
        }
        return new InboundEvent
        {
            Channel = Channel,
            EventId = eventId,
            Kind = inboundKind,
            ChatId = Id(message.Chat.Id),
            ChatKind = kind,
            ChatTitle = message.Chat.Title,
            From = User(from),
            MessageId = Id(message.Id),
            Text = text,
            ReplyToMessageId = message.ReplyToMessage is { } replied ? Id(replied.Id) : null,
            ReplyToBot = message.ReplyToMessage?.From?.Id == bot.Id,
            ReplyToUser = message.ReplyToMessage?.From is { } author ? User(author) : null,
            ReplyToText = message.ReplyToMessage is { } quoted ? quoted.Text ?? quoted.Caption : null,
            MentionsBot = Mentions(message, bot),
            SentAt = message.Date,
        };
    }

    /// <summary>"/claim@helpbot 12" becomes "/claim 12"; a command addressed to another bot becomes null.</summary>
    internal static string? CommandFor(string text, BotIdentity bot)
    {
        var end = text.IndexOfAny([' ', '\n', '\t']);
        var head = end < 0 ? text : text[..end];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }
        if (!string.Equals(head[(at + 1)..], bot.Username, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return string.Concat(head.AsSpan(0, at), end < 0 ? "" : text.AsSpan(end));
    }

    private static bool Mentions(Message message, BotIdentity bot)
    {
        var entities = message.Entities ?? message.CaptionEntities;
        var text = message.Text ?? message.Caption;
        if (entities is null || text is null)
        {
            return false;
        }
        foreach (var entity in entities)
        {
            if (entity.Type == MessageEntityType.TextMention && entity.User?.Id == bot.Id)
            {
                return true;
            }
            if (entity.Type == MessageEntityType.Mention && entity.Offset >= 0 && entity.Offset + entity.Length <= text.Length
                && string.Equals(text.Substring(entity.Offset, entity.Length), "@" + bot.Username, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string? ChatKind(Chat chat) => chat.Type switch
    {
        ChatType.Private => ChatKinds.Private,
        ChatType.Group or ChatType.Supergroup => ChatKinds.Group,
        _ => null,
    };

    private static InboundUser User(User user)
    {
        var name = $"{user.FirstName} {user.LastName}".Trim();
        if (name.Length == 0)
        {
            name = user.Username ?? Id(user.Id);
        }
        return new InboundUser(Id(user.Id), name, user.IsBot);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
