using System.Globalization;
using System.Text.Json;
using HelpBot.Inbox;
using HelpBot.Tickets;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.Sandbox;

/// <summary>What a person does on the sandbox page.</summary>
public sealed record SandboxPost(string ChatId, string UserId, string UserName, string? Text, long? ReplyTo = null, string Kind = "text", string? FileName = null);

public sealed record SandboxPress(string ChatId, long MessageId, string UserId, string UserName, string Data);

/// <summary>
/// The sandbox's receiving side: a message typed on the page is stored in its chat, shown to every
/// open page, and handed to the inbox as an <see cref="InboundEvent"/>, exactly as a platform adapter would.
/// </summary>
public sealed class SandboxChannel(SandboxMessages messages, SandboxHub hub, InboxProcessor inbox, IOptions<SandboxOptions> options, TimeProvider time)
{
    /// <summary>Sandbox texts are bounded like a chat platform's, so a pasted book cannot fill the disk.</summary>
    public const int MaxTextLength = 10_000;

    public async Task<SandboxMessage> PostAsync(SandboxPost post, CancellationToken cancellationToken = default)
    {
        var text = post.Text is null ? null : post.Text.Length > MaxTextLength ? post.Text[..MaxTextLength] : post.Text;
        var kind = post.Kind is "photo" or "document" ? post.Kind : "text";
        var message = await messages.AddAsync(new SandboxMessage
        {
            ChatId = post.ChatId, FromId = post.UserId, FromName = post.UserName, Kind = kind, Text = text, ReplyTo = post.ReplyTo,
            FileName = kind == "text" ? null : post.FileName ?? (kind == "photo" ? "anh.jpg" : "giay-to.pdf"),
        });
        Publish("message", message);

        var replied = post.ReplyTo is { } r ? await messages.GetAsync(r) : null;
        await inbox.ProcessAsync([new InboundEvent
        {
            Channel = SandboxChats.Channel,
            EventId = $"m{message.Id}",
            Kind = kind switch { "photo" => InboundKind.Photo, "document" => InboundKind.Document, _ => InboundKind.Text },
            ChatId = post.ChatId,
            ChatKind = SandboxChats.IsPrivate(post.ChatId) ? ChatKinds.Private : ChatKinds.Group,
            ChatTitle = ChatTitle(post.ChatId),
            From = new InboundUser(post.UserId, post.UserName),
            MessageId = Id(message.Id),
            Text = text,
            ReplyToMessageId = replied is null || replied.ChatId != post.ChatId ? null : Id(replied.Id),
            ReplyToBot = replied is { IsBot: true },
            ReplyToUser = replied is null ? null : new InboundUser(replied.FromId, replied.FromName, replied.IsBot),
            ReplyToText = replied?.Text,
            MentionsBot = text?.Contains("@helpbot", StringComparison.OrdinalIgnoreCase) ?? false,
            SentAt = message.SentAt,
        }], cancellationToken);
        return message;
    }

    public async Task PressAsync(SandboxPress press, CancellationToken cancellationToken = default)
    {
        await inbox.ProcessAsync([new InboundEvent
        {
            Channel = SandboxChats.Channel,
            // Every press is its own event; the page may press the same button twice on purpose.
            EventId = $"b{Guid.NewGuid():N}",
            Kind = InboundKind.Button,
            ChatId = press.ChatId,
            ChatKind = SandboxChats.IsPrivate(press.ChatId) ? ChatKinds.Private : ChatKinds.Group,
            ChatTitle = ChatTitle(press.ChatId),
            From = new InboundUser(press.UserId, press.UserName),
            ButtonData = press.Data,
            ButtonQueryId = $"{press.ChatId}|{press.UserId}",
            ButtonMessageId = Id(press.MessageId),
            SentAt = time.GetUtcNow(),
        }], cancellationToken);
    }

    public void Publish(string type, SandboxMessage message) =>
        hub.Publish(JsonSerializer.Serialize(new SandboxEvent(type, message), SandboxJson.Default.SandboxEvent));

    public void Toast(string chatId, string userId, string text) =>
        hub.Publish(JsonSerializer.Serialize(new SandboxToast(chatId, userId, text), SandboxJson.Default.SandboxToast));

    private string? ChatTitle(string chatId) => chatId switch
    {
        SandboxChats.Group => options.Value.GroupTitle,
        SandboxChats.Staff => "Tổ phản ứng nhanh",
        _ => null,
    };

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
