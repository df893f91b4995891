using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>The whole flow with citizens and the response team both on Zalo Bot: no replies, no buttons, numbers instead.</summary>
public sealed class ZaloBotFlowTests : IAsyncLifetime
{
    private const string BaTu = "a0c01dfe32b3dbed82a2";   // a citizen
    private const string Lan = "6ede9afa66b88fe6d6a9";    // a team member
    private ZaloBotTestHost _z = null!;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync();

    public async Task DisposeAsync() => await _z.DisposeAsync();

    [Fact]
    public async Task Private_question_is_acknowledged_carded_in_the_zalo_staff_group_claimed_answered_by_number_and_resolved_by_1()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ?"));

        var ack = await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        Assert.StartsWith("Dạ,", ack.Text, StringComparison.Ordinal);
        var card = await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        Assert.Contains("Zalo", card.Text, StringComparison.Ordinal);
        Assert.Contains("Bà Tư", card.Text, StringComparison.Ordinal);
        Assert.Contains("/claim 1", card.Text, StringComparison.Ordinal);
        Assert.Contains("#1 rồi nội dung", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nhận xử lý", card.Text, StringComparison.Ordinal); // the claim button is dropped in the staff chat

        _z.H.Clock.Advance(TimeSpan.FromMinutes(4));
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "/claim 1"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "đã nhận phiếu #1");
        Assert.Equal(TicketState.Claimed, (await _z.H.TicketAsync(1)).State);

        _z.H.Clock.Advance(TimeSpan.FromMinutes(6));
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "#1 Dạ, bác đưa cháu ra Công an xã, mang theo giấy khai sinh ạ."));
        var answer = await _z.Zalo.MessageToAsync(BaTu, "Công an xã");
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1 của anh/chị:", answer.Text, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);
        Assert.Contains("2 – Chưa giải quyết", answer.Text, StringComparison.Ordinal);

        _z.H.Clock.Advance(TimeSpan.FromMinutes(2));
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "1"));
        await HelpBotHarness.WaitUntilAsync("the ticket is resolved", async () => (await _z.H.TicketAsync(1)).State == TicketState.Resolved);

        var ticket = await _z.H.TicketAsync(1);
        Assert.Equal("zalo-bot", ticket.Channel);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(4), ticket.ClaimedAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(10), ticket.FirstResponseAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(12), ticket.ResolvedAt);
        Assert.Equal($"zalo-bot:{Lan}", ticket.AssigneeId);
        Assert.Equal(["Created", "Claimed", "Answered", "CitizenSolved", "Resolved"], (await _z.H.EventsAsync(1)).Select(e => e.Kind));
        // Nothing was ever sent with a reply, an edit or a button: Zalo has none of them.
        Assert.All(_z.Zalo.Calls, c => Assert.Contains(c.Method, new[] { "getMe", "setWebhook", "sendMessage", "sendPhoto", "sendChatAction" }));
        Assert.All(_z.Zalo.Sent("sendMessage"), c => Assert.Equal(["chat_id", "text"], c.Body.Select(p => p.Key)));
    }
}
