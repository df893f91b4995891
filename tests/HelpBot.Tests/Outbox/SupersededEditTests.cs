using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Outbox;

public sealed class SupersededEditTests
{
    [Fact]
    public async Task A_card_edited_three_times_while_the_bot_was_down_is_edited_once_with_the_last_text()
    {
        await using var h = await HelpBotHarness.StartAsync();
        h.WritePrivately(501, "Bà Tư", "Cho hỏi chứng thực bản sao ở đâu?");
        var card = await h.CardAsync(1);
        await h.StopHostAsync();
        await using (var s = await DeskSession.BeginAsync(h.Db.Database))
        {
            foreach (var text in new[] { "sửa lần một", "sửa lần hai", "sửa lần ba" })
            {
                await s.EnqueueAsync("telegram", HelpBotHarness.StaffChat.ToString(System.Globalization.CultureInfo.InvariantCulture), ChatKinds.Staff,
                    Priority.Staff, 1, new OutboundMessage { Kind = OutboundKind.Edit, Target = MessageRef.Linked(1, LinkRoles.Card), Text = text },
                    h.Clock.GetUtcNow());
            }
            await s.CommitAsync();
        }

        await h.StartHostAsync();

        await h.CardEditAsync(card.ResultMessageId!.Value, "sửa lần ba");
        var edits = h.Api.Sent("editMessageText").Where(r => r.MessageId == card.ResultMessageId).ToList();
        Assert.Single(edits);
        await HelpBotHarness.WaitUntilAsync("every edit is settled", async () =>
            await h.ScalarAsync("SELECT count(*) FROM outbox WHERE kind = 'Edit' AND state = 'sent'") == 3);
    }

    [Fact]
    public async Task An_edit_of_the_buttons_alone_does_not_replace_an_earlier_edit_of_the_text()
    {
        await using var h = await HelpBotHarness.StartAsync();
        h.WritePrivately(501, "Bà Tư", "Cho hỏi chứng thực bản sao ở đâu?");
        var card = await h.CardAsync(1);
        await h.StopHostAsync();
        await using (var s = await DeskSession.BeginAsync(h.Db.Database))
        {
            var staff = HelpBotHarness.StaffChat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await s.EnqueueAsync("telegram", staff, ChatKinds.Staff, Priority.Staff, 1,
                new OutboundMessage { Kind = OutboundKind.Edit, Target = MessageRef.Linked(1, LinkRoles.Card), Text = "chữ mới" }, h.Clock.GetUtcNow());
            await s.EnqueueAsync("telegram", staff, ChatKinds.Staff, Priority.Staff, 1,
                new OutboundMessage { Kind = OutboundKind.Edit, Target = MessageRef.Linked(1, LinkRoles.Card), Buttons = [] }, h.Clock.GetUtcNow());
            await s.CommitAsync();
        }

        await h.StartHostAsync();

        await h.CardEditAsync(card.ResultMessageId!.Value, "chữ mới");
        await h.Api.WaitForRequestAsync(r => r.Method == "editMessageReplyMarkup" && r.MessageId == card.ResultMessageId);
    }
}
