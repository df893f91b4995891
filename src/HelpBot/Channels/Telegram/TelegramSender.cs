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

    // A text over 4,096 characters goes out in parts; a retry resumes after the parts already delivered
    // (in memory: a restart in between may repeat a part).
    private readonly MultipartProgress _parts = new();

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken) =>
        d.Message.Kind == OutboundKind.Text
            ? await _parts.SendAsync(d.OutboxId, d.Message.Text ?? "", TextParts(d), cancellationToken)
            : await TryAsync(ct => SendCoreAsync(d, ct), cancellationToken);

    /// <summary>One send, its errors sorted.</summary>
    private static async Task<SendResult> TryAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> send, CancellationToken cancellationToken)
    {
        try
        {
            return new SendResult.Sent(await send(cancellationToken));
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

    /// <summary>A text in parts of at most 4,096 characters: the first replies, the last carries the buttons.</summary>
    private List<Func<CancellationToken, Task<SendResult>>> TextParts(Delivery d)
    {
        var m = d.Message;
        var chat = ChatOf(d);
        var reply = ReplyOf(d);
        var markup = Markup(m.Buttons);
        var parts = TextSplitter.Split(m.Text ?? "", MaxTextLength);
        return parts.Select((part, i) => (Func<CancellationToken, Task<SendResult>>)(ct => TryAsync(async c =>
        {
            var sent = await client.SendMessage(chat, part,
                replyParameters: i == 0 ? reply : null,
                replyMarkup: i == parts.Count - 1 ? markup : null,
                linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
                entities: Mentions(part, m.Mentions),
                cancellationToken: c);
            return [Id(sent.Id)];
        }, ct))).ToList();
    }

    private static ChatId ChatOf(Delivery d) => new(long.Parse(d.ChatId, CultureInfo.InvariantCulture));

    private static ReplyParameters? ReplyOf(Delivery d) =>
        d.ReplyToMessageId is { } r
            ? new ReplyParameters { MessageId = int.Parse(r, CultureInfo.InvariantCulture), AllowSendingWithoutReply = true }
            : null;

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
        var chat = ChatOf(d);
        var reply = ReplyOf(d);
        var markup = Markup(m.Buttons);
        switch (m.Kind)
        {
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
