using System.Text;
using System.Text.Json;
using Dapper;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Text;
using Microsoft.Extensions.Logging;

namespace HelpBot.Inbox;

/// <summary>
/// Buttons for channels that have none (Zalo): a channel's sender writes a message's buttons as numbered
/// lines and records the offer; a citizen who answers with the number has pressed that button. An offer
/// belongs to the person it was made to (<see cref="OutboundMessage.Addressee"/>), or to the whole chat when
/// it names nobody; each person's latest offer counts, for a few days.
/// </summary>
public sealed class TextChoices(
    Database database, Texts texts, TimeProvider time, IChatDirectory? chats = null, Microsoft.Extensions.Logging.ILogger<TextChoices>? logger = null)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(3);

    /// <summary>Buttons offered as numbers to one person (or, with an empty id, to the whole chat).</summary>
    public sealed record Offer(string Channel, string ChatId, string UserId, string[] Choices);

    /// <summary>
    /// For a channel without buttons: the text with the delivery's buttons as numbered choices when it goes to a citizen,
    /// and the offer to record once it is delivered; in the staff chat the buttons are dropped (the card says /claim N).
    /// </summary>
    public (string Text, Offer? Offer) ForDelivery(string channel, Delivery delivery, string text) =>
        delivery.ChatKind == HelpBot.Tickets.ChatKinds.Staff
            ? (text, null)
            : Render(channel, delivery.ChatId, text, delivery.Message.Buttons, delivery.Message.Addressee,
                // In a group that hears only mentions, the number must come with one.
                delivery.ChatKind == HelpBot.Tickets.ChatKinds.Group ? chats?.GroupMentionOf(channel) : null);

    /// <summary>
    /// Records the offer once the message carrying it was delivered, so the offer that counts is the one the person saw
    /// last. Never throws: the message went out, and a lost offer only means a typed number is read as words.
    /// </summary>
    public async Task<SendResult> AfterSendAsync(Offer? offer, SendResult result, CancellationToken cancellationToken)
    {
        if (offer is not null && result is SendResult.Sent)
        {
            try
            {
                await RecordAsync(offer, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger?.LogWarning(ex, "Could not record the numbered choices offered in a {Channel} chat", offer.Channel);
            }
        }
        return result;
    }

    private async Task RecordAsync(Offer offer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var choices = ChoicesJson.Write(offer.Choices);
        await connection.ExecuteAsync(
            """
            INSERT INTO text_choices (channel, chat_id, user_id, choices, offered_at) VALUES (@Channel, @ChatId, @UserId, @choices, @now)
            ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET choices = excluded.choices, offered_at = excluded.offered_at
            """,
            new { offer.Channel, offer.ChatId, offer.UserId, choices, now = time.GetUtcNow().Ms() });
    }

    private (string Text, Offer? Offer) Render(string channel, string chatId, string text,
        IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons, string? addressee, string? mention)
    {
        var flat = buttons?.SelectMany(row => row).ToList();
        if (flat is null || flat.Count == 0)
        {
            return (text, null);
        }
        var sb = new StringBuilder(text).AppendLine().AppendLine().Append(mention is null ? texts.ChoicesIntro : texts.ChoicesIntroMentioning(mention));
        for (var i = 0; i < flat.Count; i++)
        {
            var number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var label = flat[i].Text;
            sb.AppendLine().Append(label.StartsWith(number, StringComparison.Ordinal) ? label : $"{number} – {label}");
        }
        return (sb.ToString(), new Offer(channel, chatId, addressee ?? "", flat.Select(b => b.Data).ToArray()));
    }

    /// <summary>A message that is only a small number ("1", " 2.", "3 ") names a choice.</summary>
    public static int? NumberOf(string? text)
    {
        var t = text?.Trim().TrimEnd('.', ')', '!') ?? "";
        return t.Length is 1 or 2 && t.All(char.IsAsciiDigit) && int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var n ? n : null;
    }

    /// <summary>
    /// The button the number stands for in the latest offer made to this person in the chat (or, failing that, to
    /// the whole chat), which it uses up; null if none. Nobody can use up an offer made to someone else.
    /// </summary>
    public async Task<string?> TakeAsync(DeskSession s, string channel, string chatId, string userId, int number)
    {
        var offer = await s.Connection.QueryFirstOrDefaultAsync<StoredOffer>(
            """
            SELECT user_id, choices FROM text_choices
            WHERE channel = @channel AND chat_id = @chatId AND user_id IN (@userId, '') AND offered_at >= @since
            ORDER BY user_id = '' LIMIT 1
            """,
            new { channel, chatId, userId, since = (time.GetUtcNow() - ValidFor).Ms() }, s.Transaction);
        if (offer is null)
        {
            return null;
        }
        var choices = JsonSerializer.Deserialize(offer.Choices, ChoicesJson.Default.StringArray);
        if (choices is null || number > choices.Length)
        {
            return null;
        }
        await s.Connection.ExecuteAsync("DELETE FROM text_choices WHERE channel = @channel AND chat_id = @chatId AND user_id = @owner",
            new { channel, chatId, owner = offer.UserId }, s.Transaction);
        return choices[number - 1];
    }

}

/// <summary>The offer a number answers: whose it is (empty for the whole chat) and its choices as JSON.</summary>
internal sealed record StoredOffer(string UserId, string Choices);

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ChoicesJson : System.Text.Json.Serialization.JsonSerializerContext
{
    // A declared type for the value handed to Dapper (see OutboundJson.Write).
    public static string Write(string[] choices) => JsonSerializer.Serialize(choices, Default.StringArray);
}
