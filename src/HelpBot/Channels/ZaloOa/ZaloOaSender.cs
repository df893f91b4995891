using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Tickets;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// Sends outbox rows as OA messages: consultation messages to a person (quoting the question when answering it),
/// group messages to a GMF group. Long texts go in ordered parts, a retry resuming after the parts delivered; a photo
/// whose caption is too long goes alone, followed by the words as text. Buttons become numbered choices for citizens
/// and are dropped in the staff chat (its card says /claim N). Sorts Zalo's errors: an expired token is renewed and the
/// send tried once more; the messaging window and blocks are "cannot reach this person" without retry; the rate
/// limit waits for the next minute.
/// </summary>
public sealed class ZaloOaSender(ZaloOaApi api, ZaloOaTokens tokens, TextChoices choices, SendBudget budget, TimeProvider time) : IChannelSender
{
    /// <summary>The longest text of one OA message.</summary>
    public const int MaxTextLength = 2000;

    public string Channel => ZaloOaEventMapper.Channel;

    public SendBudget Budget => budget;

    // A long text goes out in parts; a retry resumes after the parts already delivered
    // (in memory: a restart in between may repeat a part).
    private readonly MultipartProgress _parts = new(time);

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken)
    {
        var m = d.Message;
        switch (m.Kind)
        {
            case OutboundKind.Text:
                var (text, offer) = choices.ForDelivery(Channel, d, m.Text ?? "");
                return await choices.AfterSendAsync(offer,
                    await _parts.SendAsync(d.OutboxId, text, TextParts(d, text, quoteFirst: true), cancellationToken), cancellationToken);

            case OutboundKind.Photo:
                var (caption, captionOffer) = choices.ForDelivery(Channel, d, m.Caption ?? "");
                var sent = caption.Length <= MaxTextLength
                    ? await _parts.SendAsync(d.OutboxId, m.MediaUrl + "\n" + caption,
                        [Part(d, new ZaloOaOutMessage(caption.Length > 0 ? caption : null, QuoteOf(d, first: true), Image(m.MediaUrl!)))], cancellationToken)
                    // Too long for one message: the photo alone, then the words in full.
                    : await _parts.SendAsync(d.OutboxId, m.MediaUrl + "\n" + caption,
                        [Part(d, new ZaloOaOutMessage(null, QuoteOf(d, first: true), Image(m.MediaUrl!))), .. TextParts(d, caption, quoteFirst: false)],
                        cancellationToken);
                return await choices.AfterSendAsync(captionOffer, sent, cancellationToken);

            case OutboundKind.Edit or OutboundKind.ButtonAnswer:
                // OA messages cannot be edited and have no buttons to acknowledge.
                return new SendResult.Sent([]);

            case OutboundKind.Document:
                return new SendResult.Failed("HelpBot does not send files on Zalo OA; ask for the export where the staff chat is, or run the export command on the server");

            default:
                return new SendResult.Failed($"Zalo OA cannot send {m.Kind}");
        }
    }

    private static ZaloOaAttachment Image(string url) =>
        new("template", new ZaloOaAttachmentPayload("media", [new ZaloOaMediaElement("image", url)]));

    /// <summary>A text in ordered parts of at most 2,000 characters; the first quotes the question when asked to.</summary>
    private List<Func<CancellationToken, Task<SendResult>>> TextParts(Delivery d, string text, bool quoteFirst) =>
        TextSplitter.Split(text, MaxTextLength)
            .Select((part, i) => Part(d, new ZaloOaOutMessage(part, QuoteOf(d, first: quoteFirst && i == 0))))
            .ToList();

    /// <summary>One OA message, its errors sorted.</summary>
    private Func<CancellationToken, Task<SendResult>> Part(Delivery d, ZaloOaOutMessage message) => async cancellationToken =>
    {
        try
        {
            var reply = await SendOneAsync(d, message, cancellationToken);
            return reply.Ok ? new SendResult.Sent(reply.MessageId is { Length: > 0 } id ? [id] : []) : Classify(reply);
        }
        catch (ZaloOaTokenException ex)
        {
            // Nothing to send with, to anyone: wait without using up the row's attempts (an admin may need to act; the
            // health check says what), so replies are still there when the token is back.
            return new SendResult.RetryLater($"no Zalo OA access token: {ex.Message}", ex.RetryAfter ?? TimeSpan.FromMinutes(ex.Broken ? 10 : 1), Paused: true);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult.RetryLater($"network: {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.RetryLater("timeout");
        }
    };

    /// <summary>Quotes the question in a person's chat; group sends are not documented to take a quote.</summary>
    private static string? QuoteOf(Delivery d, bool first) =>
        first && d.ChatKind == ChatKinds.Private ? d.ReplyToMessageId : null;

    private async Task<ZaloOaReply> SendOneAsync(Delivery d, ZaloOaOutMessage message, CancellationToken ct)
    {
        var token = await tokens.GetAsync(ct);
        var reply = await PostAsync(d, token, message, ct);
        if (!reply.Transport && ZaloOaErrors.IsTokenProblem(reply.Error))
        {
            // Renewed once, tried once more; a second refusal is the dispatcher's to retry later.
            reply = await PostAsync(d, await tokens.RenewAsync(token, ct), message, ct);
        }
        return reply;
    }

    private Task<ZaloOaReply> PostAsync(Delivery d, string token, ZaloOaOutMessage message, CancellationToken ct) =>
        d.ChatKind == ChatKinds.Private
            ? api.SendToUserAsync(token, d.ChatId, message, ct)
            : api.SendToGroupAsync(token, d.ChatId, message, ct);

    internal SendResult Classify(ZaloOaReply reply)
    {
        var error = $"{reply.Error} {reply.Message}".Trim();
        if (reply.Transport)
        {
            return new SendResult.RetryLater(error);
        }
        if (ZaloOaErrors.Unreachable.Contains(reply.Error))
        {
            return new SendResult.Failed($"Zalo {error}", FailureKind.RecipientUnreachable);
        }
        if (reply.Error == ZaloOaErrors.RateLimited)
        {
            // Zalo's windows reset at each minute.
            var now = time.GetUtcNow();
            return new SendResult.RetryLater($"Zalo {error}", TimeSpan.FromSeconds(60 - now.Second) + TimeSpan.FromSeconds(1));
        }
        if (ZaloOaErrors.IsTokenProblem(reply.Error))
        {
            return new SendResult.RetryLater($"Zalo {error} after renewing the access token");
        }
        return new SendResult.Failed($"Zalo {error}");
    }
}
