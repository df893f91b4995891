using HelpBot.Service;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Service;

/// <summary>Service levels through the real host and store, on a fake clock.</summary>
public sealed class SlaTests : IAsyncLifetime
{
    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    private static DateTimeOffset Local2027(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<int> NoticesAsync(string text) =>
        await Task.FromResult(_h.Api.Sent("sendMessage").Count(r => r.ChatId == HelpBotHarness.StaffChat && r.Text!.Contains(text, StringComparison.Ordinal)));

    [Fact]
    public async Task Reminders_and_escalations_fire_once_at_the_right_working_moment_across_a_weekend_a_holiday_and_a_restart()
    {
        // Thursday 29/4/2027 at 16:00, before the 30/4 holiday, a weekend and Monday 3/5 (1/5 observed): the
        // first response (4 working hours) is due Tuesday 4/5 at 10:30, its reminder (3 h) at 09:30.
        _h.Clock.SetUtcNow(Local2027(4, 29, 16));
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi đăng ký tạm trú cho cháu thế nào?");
        var card = await _h.CardAsync(1);
        var ticket = await _h.TicketAsync(1);
        Assert.Equal(Local2027(5, 4, 10, 30), ticket.FirstResponseDueAt);
        Assert.Equal(Local2027(5, 4, 9, 30), ticket.FirstResponseRemindAt);

        var sla = _h.Service<SlaService>();
        _h.Clock.SetUtcNow(Local2027(5, 1, 10)); // Saturday of a long weekend
        await sla.CheckAsync();
        _h.Clock.SetUtcNow(Local2027(5, 3, 10)); // Monday, a holiday
        await sla.CheckAsync();
        _h.Clock.SetUtcNow(Local2027(5, 4, 9, 29));
        await sla.CheckAsync();
        await _h.SettleAsync();
        Assert.Equal(0, await NoticesAsync("sắp đến hạn phản hồi"));

        // The host's own timer may check at the same moment: whichever runs first sends, the other finds it sent.
        _h.Clock.SetUtcNow(Local2027(5, 4, 9, 31));
        await sla.CheckAsync();
        Assert.Equal(0, await sla.CheckAsync());
        var reminder = await _h.SentToAsync(HelpBotHarness.StaffChat, "Phiếu #1: sắp đến hạn phản hồi (10:30 04/05/2027), chưa ai nhận");
        Assert.Equal(card.ResultMessageId, reminder.ReplyToMessageId);

        // A restart between the reminder and the breach: the reminder is not sent again, the breach is.
        await _h.StopHostAsync();
        _h.Clock.SetUtcNow(Local2027(5, 4, 10, 31));
        await _h.StartHostAsync();
        await _h.Service<SlaService>().CheckAsync();
        await _h.Service<SlaService>().CheckAsync();
        var breach = await _h.SentToAsync(HelpBotHarness.StaffChat, "Phiếu #1 đã quá hạn phản hồi (10:30 04/05/2027), chưa ai nhận. Báo quản trị viên");
        Assert.Contains(HelpBotHarness.AdminId, breach.Body["entities"]!.AsArray().Select(e => e!["user"]!["id"]!.GetValue<long>()));
        await _h.SettleAsync();
        Assert.Equal(1, await NoticesAsync("sắp đến hạn phản hồi"));
        Assert.Equal(1, await NoticesAsync("quá hạn phản hồi"));
    }

    [Fact]
    public async Task The_timer_service_checks_on_its_own_and_a_breach_past_both_moments_skips_the_late_reminder()
    {
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi cấp sổ đỏ lần đầu?"); // Tuesday 09:00
        await _h.CardAsync(1);
        _h.Clock.Advance(TimeSpan.FromDays(1)); // Wednesday 09:00: 7.5 working hours later
        await _h.SentToAsync(HelpBotHarness.StaffChat, "đã quá hạn phản hồi");
        await _h.SettleAsync();
        Assert.Equal(0, await NoticesAsync("sắp đến hạn phản hồi"));
    }

    [Fact]
    public async Task An_idle_claim_goes_back_to_the_queue_and_the_owner_is_told()
    {
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi thủ tục nhận trợ cấp người cao tuổi?"); // Tuesday 09:00
        var card = await _h.CardAsync(1);
        _h.Api.PressButton(HelpBotHarness.StaffChat, card.ResultMessageId!.Value, 601, "Lan", "claim:1");
        await _h.CardEditAsync(card.ResultMessageId.Value, "Đang xử lý · Lan");
        _h.Clock.SetUtcNow(Local(12, 1, 14, 59)); // 3 h 59 of working time (lunch excluded)
        await _h.Service<SlaService>().CheckAsync();
        Assert.Equal(TicketState.Claimed, (await _h.TicketAsync(1)).State);
        _h.Clock.SetUtcNow(Local(12, 1, 15, 1));
        await _h.Service<SlaService>().CheckAsync();
        var told = await _h.SentToAsync(HelpBotHarness.StaffChat, "Phiếu #1 đã trả về chờ nhận: Lan chưa cập nhật trong 4 giờ");
        Assert.Equal(601, told.Body["entities"]!.AsArray().Single()!["user"]!["id"]!.GetValue<long>());
        Assert.Equal(TicketState.New, (await _h.TicketAsync(1)).State);
    }

    [Theory]
    [InlineData(12, 4, 18, 0, "từ 7 giờ 30 sáng thứ Hai (07/12)")]
    [InlineData(12, 1, 12, 0, "từ 13 giờ 30 chiều nay")]
    [InlineData(12, 1, 20, 0, "từ 7 giờ 30 sáng mai")]
    public async Task Out_of_hours_the_acknowledgement_says_when_to_expect_an_answer(int month, int day, int hour, int minute, string when)
    {
        _h.Clock.SetUtcNow(Local(month, day, hour, minute));
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi làm căn cước ở đâu?");
        var ack = await _h.SentToAsync(501, "ngoài giờ làm việc");
        Assert.Contains(when, ack.Text, StringComparison.Ordinal);
        Assert.StartsWith("Dạ,", ack.Text, StringComparison.Ordinal);
    }
}
