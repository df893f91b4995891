using System.Globalization;
using HelpBot.Outbox;

namespace HelpBot.Channels.Sandbox;

/// <summary>Delivers outbox rows into the sandbox's chats and onto every open page.</summary>
public sealed class SandboxSender(SandboxMessages messages, IServiceProvider services) : IChannelSender
{
    private const string BotId = "bot";
    private const string BotName = "HelpBot";

    public string Channel => SandboxChats.Channel;

    public SendBudget Budget { get; } = new(SendLimits.Unlimited);

    // Resolved lazily: the channel needs the inbox, whose dispatcher needs this sender.
    private SandboxChannel Page => (SandboxChannel)services.GetService(typeof(SandboxChannel))!;

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken)
    {
        var m = d.Message;
        long? replyTo = d.ReplyToMessageId is { } r ? long.Parse(r, CultureInfo.InvariantCulture) : null;
        switch (m.Kind)
        {
            case OutboundKind.Text:
                return Sent(await AddAsync(new SandboxMessage { ChatId = d.ChatId, Text = m.Text, ReplyTo = replyTo, Buttons = m.Buttons }));

            case OutboundKind.Copy:
                var original = await messages.GetAsync(long.Parse(m.FromMessageId!, CultureInfo.InvariantCulture));
                if (original is null)
                {
                    return new SendResult.Failed("400 message to copy not found");
                }
                var file = original.Kind == "text" ? null : await messages.FileAsync(original.Id);
                return Sent(await AddAsync(new SandboxMessage
                {
                    ChatId = d.ChatId, Kind = original.Kind, Text = m.Caption ?? original.Text, ReplyTo = replyTo,
                    Buttons = m.Buttons, FileName = original.FileName,
                }, file?.Content));

            case OutboundKind.Photo:
                // The sandbox keeps its files itself and never fetches from outside: the address is shown as text.
                return Sent(await AddAsync(new SandboxMessage { ChatId = d.ChatId, Text = $"{m.Caption}\n🖼 {m.MediaUrl}", ReplyTo = replyTo, Buttons = m.Buttons }));

            case OutboundKind.Edit:
                var edited = await messages.EditAsync(long.Parse(d.TargetMessageId!, CultureInfo.InvariantCulture), d.ChatId, m.Text, m.Buttons, buttonsOnly: m.Text is null);
                if (edited is null)
                {
                    return new SendResult.Failed("400 message to edit not found");
                }
                Page.Publish("edit", edited);
                return new SendResult.Sent([]);

            case OutboundKind.ButtonAnswer:
                if (m.Text is not null && m.ButtonQueryId?.Split('|') is [var chat, var user])
                {
                    Page.Toast(chat, user, m.Text);
                }
                return new SendResult.Sent([]);

            case OutboundKind.Document:
                await using (var stream = await d.OpenDocument!(cancellationToken))
                using (var buffer = new MemoryStream())
                {
                    await stream.CopyToAsync(buffer, cancellationToken);
                    return Sent(await AddAsync(new SandboxMessage
                    {
                        ChatId = d.ChatId, Kind = "document", Text = m.Text, ReplyTo = replyTo, FileName = m.Document!.FileName,
                    }, buffer.ToArray()));
                }

            default:
                return new SendResult.Failed($"unknown kind {m.Kind}");
        }
    }

    private async Task<SandboxMessage> AddAsync(SandboxMessage message, byte[]? file = null)
    {
        var added = await messages.AddAsync(message with { FromId = BotId, FromName = BotName, IsBot = true }, file);
        Page.Publish("message", added);
        return added;
    }

    private static SendResult Sent(SandboxMessage message) => new SendResult.Sent([message.Id.ToString(CultureInfo.InvariantCulture)]);
}
