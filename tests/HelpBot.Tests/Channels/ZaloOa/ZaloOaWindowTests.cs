using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>Zalo's messaging window: a citizen the OA may not write to is a task for the team, never a retry loop.</summary>
public sealed class ZaloOaWindowTests : IAsyncLifetime
{
    private ZaloOaDesk _d = null!;

    public async Task InitializeAsync() => _d = await ZaloOaDesk.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Theory]
    [InlineData(-230)]
    [InlineData(-213)]
    [InlineData(-244)]
    public async Task A_window_error_marks_the_ticket_and_tells_the_staff_chat_to_phone_without_retrying(int error)
    {
        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi hồ sơ đất đai của tôi đến đâu rồi ạ?");
        var card = await _d.H.CardAsync(1);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1"); // the acknowledgement went out before the window closed
        _d.Oa.MakeUnreachable(ZaloOaDesk.Citizen, error);
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, hồ sơ của bác đã xong, mời bác lên nhận ạ.", replyTo: card.ResultMessageId);

        var told = await _d.H.SentToAsync(HelpBotHarness.StaffChat, "không gửi được tin nhắn cho người hỏi trên Zalo");
        Assert.Contains("quá 7 ngày không nhắn cho OA", told.Text, StringComparison.Ordinal);
        Assert.Contains("gọi điện", told.Text, StringComparison.Ordinal);
        Assert.Contains("Trung tâm Phục vụ hành chính công xã", told.Text, StringComparison.Ordinal);
        Assert.EndsWith("ạ.", told.Text, StringComparison.Ordinal);
        // Zalo's code and English words stay in the log and on the ticket's record, out of the staff's text.
        var code = error.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(code, told.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("User has not", told.Text, StringComparison.Ordinal);
        Assert.Equal(card.ResultMessageId, told.ReplyToMessageId);
        Assert.Contains(await _d.H.EventsAsync(1), e => e.Kind == "CitizenUnreachable" && (e.Detail?.Contains(code, StringComparison.Ordinal) ?? false));
        Assert.Contains(_d.H.Logs.Lines, l => l.Contains("as dead", StringComparison.Ordinal) && l.Contains(code, StringComparison.Ordinal));
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND state = 'dead' AND attempts = 1"));

        // Time passes: nothing is tried again.
        _d.H.Clock.Advance(TimeSpan.FromHours(2));
        await _d.H.SettleAsync();
        Assert.Single(_d.Oa.Sends, r => r.UserId == ZaloOaDesk.Citizen && (r.Text?.Contains("lên nhận", StringComparison.Ordinal) ?? false));
        Assert.Empty(_d.Oa.Refreshes.Skip(1));
    }

    [Fact]
    public async Task A_later_message_that_cannot_reach_the_same_citizen_is_recorded_on_the_ticket_without_telling_the_staff_again()
    {
        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi hồ sơ trợ cấp người cao tuổi của mẹ tôi đến đâu rồi ạ?");
        var card = await _d.H.CardAsync(1);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1"); // the acknowledgement went out before the window closed
        _d.Oa.MakeUnreachable(ZaloOaDesk.Citizen);
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, hồ sơ đã được duyệt ạ.", replyTo: card.ResultMessageId);
        await _d.H.SentToAsync(HelpBotHarness.StaffChat, "gọi điện");

        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, tiền trợ cấp nhận từ tháng sau ạ.", replyTo: card.ResultMessageId);
        await HelpBotHarness.WaitUntilAsync("the second failure is recorded", async () =>
            (await _d.H.EventsAsync(1)).Count(e => e.Kind == "CitizenUnreachable") == 2);
        await _d.H.SettleAsync();
        Assert.Equal(2, await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND state = 'dead'"));
        Assert.Single(_d.H.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.StaffChat && (r.Text?.Contains("gọi điện", StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task After_the_citizen_writes_again_a_new_failure_to_reach_them_is_told_to_the_staff_again()
    {
        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi hồ sơ cấp đổi sổ đỏ của tôi đến đâu rồi ạ?");
        var card = await _d.H.CardAsync(1);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        _d.Oa.MakeUnreachable(ZaloOaDesk.Citizen);
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, hồ sơ đang chờ ký ạ.", replyTo: card.ResultMessageId);
        await _d.H.SentToAsync(HelpBotHarness.StaffChat, "gọi điện");

        // Later the citizen writes (on Zalo that opens the window again), and the next answer fails once more.
        _d.H.Clock.Advance(TimeSpan.FromHours(1));
        await _d.AskAsync(ZaloOaDesk.Citizen, "Vậy bao giờ tôi lên lấy được ạ?");
        await HelpBotHarness.WaitUntilAsync("the follow-up is on the ticket", async () =>
            (await _d.H.EventsAsync(1)).Any(e => e.Kind == "FollowUp"));
        _d.H.Clock.Advance(TimeSpan.FromMinutes(10));
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, thứ Hai tuần sau bác lên nhận ạ.", replyTo: card.ResultMessageId);
        await HelpBotHarness.WaitUntilAsync("the staff are told again", () => Task.FromResult(
            _d.H.Api.Sent("sendMessage").Count(r => r.ChatId == HelpBotHarness.StaffChat && (r.Text?.Contains("gọi điện", StringComparison.Ordinal) ?? false)) == 2));
    }

    [Fact]
    public async Task The_rate_limit_waits_for_the_next_minute_and_then_delivers()
    {
        _d.Oa.FailNextSends(-32, "Your application reached limit call api");
        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi làm hộ chiếu ở đâu ạ?");
        await _d.Oa.WaitForAsync(r => r.Error == -32);
        await _d.H.AdvancePastRetryAsync();
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
    }
}
