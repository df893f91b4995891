using HelpBot.Inbox;
using HelpBot.Outbox;
using Microsoft.Extensions.Logging;

namespace HelpBot.Channels.ZaloBot;

/// <summary>
/// Sends outbox rows through the Zalo Bot Platform and sorts its errors into "try again" and "never".
/// Zalo has texts of up to 2,000 characters and photos by address; no replies, buttons, edits, copies or files.
/// </summary>
public sealed class ZaloBotSender(ZaloBotClient client, TextChoices choices, SendBudget budget, ILogger<ZaloBotSender> logger) : IChannelSender
{
    /// <summary>sendMessage's text and sendPhoto's caption: 1 to 2,000 characters (counted here in UTF-16 units, the safe reading).</summary>
    public const int MaxTextLength = 2000;

    // A long text goes out as several messages; when one of them fails, the retry resumes after the parts
    // already delivered instead of sending them twice (in memory: a restart in between may repeat a part).
    private readonly MultipartProgress _parts = new();

    public string Channel => ZaloBotUpdateReader.Channel;

    public SendBudget Budget => budget;

    public async Task<SendResult> SendAsync(Delivery d, CancellationToken cancellationToken)
    {
        try
        {
            return await SendCoreAsync(d, cancellationToken);
        }
        catch (ZaloBotApiException ex)
        {
            return Classify(ex);
        }
    }

    internal static SendResult Classify(ZaloBotApiException ex) => ex.ErrorCode switch
    {
        // No retry_after is documented; the dispatcher's back-off spaces the attempts.
        429 => new SendResult.RetryLater($"429 {ex.Description}"),
        0 => new SendResult.RetryLater(ex.Description),
        // Zalo's documentation lists 403 as "Internal server error": a server fault, tried again.
        403 or 408 or >= 500 => new SendResult.RetryLater($"{ex.ErrorCode} {ex.Description}"),
        _ => new SendResult.Failed($"{ex.ErrorCode} {ex.Description}"),
    };

    private async Task<SendResult> SendCoreAsync(Delivery d, CancellationToken ct)
    {
        var m = d.Message;
        switch (m.Kind)
        {
            case OutboundKind.Text:
                var (text, offer) = choices.ForDelivery(Channel, d, m.Text ?? "");
                return await choices.AfterSendAsync(offer, await SendStepsAsync(d, text, TextSteps(d.ChatId, text), ct), ct);

            case OutboundKind.Photo:
                var (caption, captionOffer) = choices.ForDelivery(Channel, d, m.Caption ?? "");
                // Too long for a caption: the photo alone, then the words in full.
                var sent = caption.Length <= MaxTextLength
                    ? await SendStepsAsync(d, m.MediaUrl + "\n" + caption, [c => client.SendPhotoAsync(d.ChatId, m.MediaUrl!, caption, c)], ct)
                    : await SendStepsAsync(d, m.MediaUrl + "\n" + caption, [c => client.SendPhotoAsync(d.ChatId, m.MediaUrl!, null, c), .. TextSteps(d.ChatId, caption)], ct);
                return await choices.AfterSendAsync(captionOffer, sent, ct);

            case OutboundKind.Edit:
            case OutboundKind.ButtonAnswer:
                // Nothing to edit and no button to acknowledge on Zalo: the desk's own record is enough.
                return new SendResult.Sent([]);

            case OutboundKind.Copy:
                return new SendResult.Failed("Zalo Bot Platform cannot copy messages");

            case OutboundKind.Document:
                // sendDocument and sendFile answer 404: the platform has no way to send a file.
                return new SendResult.Failed("Zalo Bot Platform cannot send files");

            default:
                return new SendResult.Failed($"unknown outbound kind {m.Kind}");
        }
    }


    private List<Func<CancellationToken, Task<ZaloSent>>> TextSteps(string chatId, string text) =>
        TextSplitter.Split(text, MaxTextLength).Select(part => (Func<CancellationToken, Task<ZaloSent>>)(c => client.SendMessageAsync(chatId, part, c))).ToList();

    /// <summary>Sends one message per step, in order, resuming after the steps an earlier attempt of the row delivered.</summary>
    private Task<SendResult> SendStepsAsync(Delivery d, string content, IReadOnlyList<Func<CancellationToken, Task<ZaloSent>>> steps, CancellationToken ct) =>
        _parts.SendAsync(d.OutboxId, content, steps.Select(step => (Func<CancellationToken, Task<SendResult>>)(c => PartAsync(step, c))).ToList(), ct,
            c => TypingAsync(d.ChatId, c));

    private static async Task<SendResult> PartAsync(Func<CancellationToken, Task<ZaloSent>> step, CancellationToken ct)
    {
        try
        {
            return new SendResult.Sent(await step(ct) is { MessageId: { Length: > 0 } id } ? [id] : []);
        }
        catch (ZaloBotApiException ex)
        {
            return Classify(ex);
        }
    }

    /// <summary>"typing…" while a long answer goes out in parts; a courtesy, so its failure changes nothing.</summary>
    private async Task TypingAsync(string chatId, CancellationToken ct)
    {
        try
        {
            await client.SendChatActionAsync(chatId, "typing", ct);
        }
        catch (ZaloBotApiException ex)
        {
            logger.LogDebug("Zalo Bot sendChatAction failed ({ErrorCode}); sending anyway", ex.ErrorCode);
        }
    }
}
