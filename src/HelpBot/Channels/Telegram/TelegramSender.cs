using System.Globalization;
using HelpBot.Outbox;
using HelpBot.Text;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.ReplyMarkups;

namespace HelpBot.Channels.Telegram;

/// <summary>Sends outbox rows through the Bot API and sorts its errors into "try again" and "never".</summary>
public sealed class TelegramSender(ITelegramBotClient client, SendBudget budget) : IChannelSender
{
    /// <summary>The Bot API's longest text message.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The Bot API's longest photo caption.</summary>
    public const int MaxCaptionLength = 1024;

    public string Channel => TelegramUpdateMapper.Channel;

    public SendBudget Budget => budget;

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken)
    {
        try
        {
            return new SendResult.Sent(await SendCoreAsync(d, cancellationToken));
        }
        catch (ApiRequestException ex)
        {
            return Classify(ex);
        }
        catch (RequestException ex)
        {
            return new SendResult.RetryLater($"network: {ex.InnerException?.GetType().Name ?? ex.GetType().Name}");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult.RetryLater($"network: {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.RetryLater("timeout");
        }
    }

    internal static SendResult Classify(ApiRequestException ex)
    {
        var description = ex.Message;
        if (ex.ErrorCode == 429)
        {
            return new SendResult.RetryLater("429 too many requests",
                TimeSpan.FromSeconds(Math.Max(1, ex.Parameters?.RetryAfter ?? 1)));
        }
        if (ex.ErrorCode >= 500)
        {
            return new SendResult.RetryLater($"{ex.ErrorCode} {description}");
        }
        // Nothing left to do: the edit changes nothing, or the button press is too old to acknowledge.
        if (description.Contains("message is not modified", StringComparison.OrdinalIgnoreCase)
            || description.Contains("query is too old", StringComparison.OrdinalIgnoreCase)
            || description.Contains("query ID is invalid", StringComparison.OrdinalIgnoreCase))
        {
            return new SendResult.Sent([]);
        }
        return new SendResult.Failed($"{ex.ErrorCode} {description}");
    }

    private async Task<IReadOnlyList<string>> SendCoreAsync(Delivery d, CancellationToken ct)
    {
        var m = d.Message;
        var chat = new ChatId(long.Parse(d.ChatId, CultureInfo.InvariantCulture));
        var reply = d.ReplyToMessageId is { } r
            ? new ReplyParameters { MessageId = int.Parse(r, CultureInfo.InvariantCulture), AllowSendingWithoutReply = true }
            : null;
        var markup = Markup(m.Buttons);
        switch (m.Kind)
        {
            case OutboundKind.Text:
                var ids = new List<string>();
                var parts = TextSplitter.Split(m.Text ?? "", MaxTextLength);
                for (var i = 0; i < parts.Count; i++)
                {
                    var last = i == parts.Count - 1;
                    var sent = await client.SendMessage(chat, parts[i],
                        replyParameters: i == 0 ? reply : null,
                        replyMarkup: last ? markup : null,
                        linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
                        entities: Mentions(parts[i], m.Mentions),
                        cancellationToken: ct);
                    ids.Add(Id(sent.Id));
                }
                return ids;

            case OutboundKind.Copy:
                var copy = await client.CopyMessage(chat, new ChatId(long.Parse(m.FromChatId!, CultureInfo.InvariantCulture)),
                    int.Parse(m.FromMessageId!, CultureInfo.InvariantCulture),
                    caption: m.Caption, replyParameters: reply, replyMarkup: markup, cancellationToken: ct);
                return [Id(copy.Id)];

            case OutboundKind.Photo:
                var photo = await client.SendPhoto(chat, InputFile.FromUri(m.MediaUrl!), caption: m.Caption is null ? null : Shorten(m.Caption, MaxCaptionLength),
                    replyParameters: reply, replyMarkup: markup, cancellationToken: ct);
                return [Id(photo.Id)];

            case OutboundKind.Edit:
                var target = int.Parse(d.TargetMessageId!, CultureInfo.InvariantCulture);
                if (m.Text is not null)
                {
                    await client.EditMessageText(chat, target, Shorten(m.Text), replyMarkup: markup ?? new InlineKeyboardMarkup(),
                        linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: ct);
                }
                else
                {
                    await client.EditMessageReplyMarkup(chat, target, markup, cancellationToken: ct);
                }
                return [];

            case OutboundKind.ButtonAnswer:
                await client.AnswerCallbackQuery(m.ButtonQueryId!, m.Text is null ? null : Shorten(m.Text, 200),
                    showAlert: m.Text is not null && m.Text.Length > 60, cancellationToken: ct);
                return [];

            case OutboundKind.Document:
                await using (var stream = await d.OpenDocument!(ct))
                {
                    var doc = await client.SendDocument(chat, InputFile.FromStream(stream, m.Document!.FileName),
                        caption: m.Text, replyParameters: reply, cancellationToken: ct);
                    return [Id(doc.Id)];
                }

            default:
                throw new InvalidOperationException($"Unknown outbound kind {m.Kind}");
        }
    }

    /// <summary>A text_mention entity on the first appearance of each named person, so Telegram notifies them.</summary>
    internal static IEnumerable<MessageEntity>? Mentions(string text, IReadOnlyList<OutboundMention>? mentions)
    {
        if (mentions is null || mentions.Count == 0)
        {
            return null;
        }
        var entities = new List<MessageEntity>();
        foreach (var mention in mentions)
        {
            var at = text.IndexOf(mention.Name, StringComparison.Ordinal);
            if (at >= 0 && long.TryParse(mention.UserId, CultureInfo.InvariantCulture, out var userId))
            {
                // Offsets are in UTF-16 code units, as .NET strings are.
                entities.Add(new MessageEntity
                {
                    Type = global::Telegram.Bot.Types.Enums.MessageEntityType.TextMention,
                    Offset = at,
                    Length = mention.Name.Length,
                    User = new User { Id = userId, FirstName = mention.Name },
                });
            }
        }
        return entities.Count == 0 ? null : entities;
    }

    private static InlineKeyboardMarkup? Markup(IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons) =>
        buttons is null || buttons.Count == 0
            ? null
            : new InlineKeyboardMarkup(buttons.Select(row => row.Select(b => InlineKeyboardButton.WithCallbackData(b.Text, b.Data))));

    private static string Shorten(string text, int limit = MaxTextLength) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
