using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// Sends outbox rows as OA messages: consultation messages to a person (quoting the question when answering it),
/// group messages to a GMF group. Long texts go in ordered parts; buttons become numbered choices for citizens and
/// are dropped in the staff chat (its card says /claim N). Sorts Zalo's errors: an expired token is renewed and the
/// send tried once more; the messaging window and blocks are "cannot reach this person" without retry; the rate
/// limit waits for the next minute.
/// </summary>
public sealed class ZaloOaSender(ZaloOaApi api, ZaloOaTokens tokens, TextChoices choices, SendBudget budget, TimeProvider time) : IChannelSender
{
    /// <summary>The longest text of one OA message.</summary>
    public const int MaxTextLength = 2000;

    public string Channel => ZaloOaEventMapper.Channel;

    public SendBudget Budget => budget;

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken)
    {
        var m = d.Message;
        try
        {
            switch (m.Kind)
            {
                case OutboundKind.Text:
                    var text = m.Text ?? "";
                    if (m.Buttons is { Count: > 0 } && d.ChatKind != ChatKinds.Staff)
                    {
                        text = await choices.OfferAsync(Channel, d.ChatId, text, m.Buttons, cancellationToken, m.Addressee);
                    }
                    var ids = new List<string>();
                    var parts = TextSplitter.Split(text, MaxTextLength);
                    for (var i = 0; i < parts.Count; i++)
                    {
                        var reply = await SendOneAsync(d, new ZaloOaOutMessage(parts[i], QuoteOf(d, first: i == 0)), cancellationToken);
                        if (!reply.Ok)
                        {
                            return Classify(reply);
                        }
                        ids.Add(reply.MessageId ?? "");
                    }
                    return new SendResult.Sent(ids.Where(id => id.Length > 0).ToList());

                case OutboundKind.Photo:
                    var photo = new ZaloOaOutMessage(
                        m.Caption is null ? null : Texts.Shorten(m.Caption, MaxTextLength),
                        QuoteOf(d, first: true),
                        new ZaloOaAttachment("template", new ZaloOaAttachmentPayload("media", [new ZaloOaMediaElement("image", m.MediaUrl!)])));
                    var sent = await SendOneAsync(d, photo, cancellationToken);
                    return sent.Ok ? new SendResult.Sent(sent.MessageId is { Length: > 0 } id ? [id] : []) : Classify(sent);

                case OutboundKind.Edit or OutboundKind.ButtonAnswer:
                    // OA messages cannot be edited and have no buttons to acknowledge.
                    return new SendResult.Sent([]);

                case OutboundKind.Document:
                    return new SendResult.Failed("HelpBot does not send files on Zalo OA; ask for the export where the staff chat is, or run the export command on the server");

                default:
                    return new SendResult.Failed($"Zalo OA cannot send {m.Kind}");
            }
        }
        catch (ZaloOaTokenException ex)
        {
            // Nothing to send with: wait (an admin may need to act; the health check says what).
            return new SendResult.RetryLater($"no Zalo OA access token: {ex.Message}", TimeSpan.FromMinutes(ex.Broken ? 10 : 1));
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
