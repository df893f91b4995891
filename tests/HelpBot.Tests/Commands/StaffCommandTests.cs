using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Commands;

/// <summary>Slash commands through the real host, as each role types them in each kind of chat.</summary>
public sealed class StaffCommandTests : IAsyncLifetime
{
    private const long BaTu = 501;
    private const long Lan = 601;
    private const long Minh = 602;
    private const long Admin = HelpBotHarness.AdminId;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<int> OpenTicketAsync(string question = "Cho hỏi làm giấy xác nhận tình trạng hôn nhân ở đâu?", long citizen = BaTu)
    {
        var count = await _h.ScalarAsync("SELECT count(*) FROM tickets");
        _h.WritePrivately(citizen, $"Công dân {citizen}", question);
        var card = await _h.CardAsync(count + 1);
        return card.ResultMessageId!.Value;
    }

    private Task StaffSaysAsync(long user, string name, string text) => Task.FromResult(_h.InStaffChat(user, name, text));

    [Fact]
    public async Task A_citizen_gets_a_polite_refusal_for_staff_and_admin_commands()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "/claim 1");
        var refusal = await _h.SentToAsync(BaTu, "chỉ dành cho tổ hỗ trợ");
        Assert.StartsWith("Dạ,", refusal.Text, StringComparison.Ordinal);
        _h.WritePrivately(BaTu, "Bà Tư", "/stats");
        await _h.Api.WaitForCountAsync(r => r.ChatId == BaTu && (r.Text?.Contains("chỉ dành cho tổ hỗ trợ") ?? false), 2);
        _h.WritePrivately(BaTu, "Bà Tư", "/xoa_het");
        await _h.SentToAsync(BaTu, "chưa hiểu lệnh này");
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task Start_and_help_explain_how_to_ask_and_hoi_opens_a_ticket()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "/start");
        var welcome = await _h.SentToAsync(BaTu, "Anh/chị cứ nhắn câu hỏi");
        Assert.True(welcome.Text!.Split(". ").Length <= 3);
        _h.AskInGroup(BaTu, "Bà Tư", "/hoi");
        await _h.SentToAsync(HelpBotHarness.Group, "gõ câu hỏi ngay sau /hoi");
        _h.AskInGroup(BaTu, "Bà Tư", "/hoi@helpbot_test_bot đăng ký kết hôn cần mang gì");
        var card = await _h.CardAsync(1);
        Assert.Contains("đăng ký kết hôn cần mang gì", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/hoi", card.Text, StringComparison.Ordinal);
        // A command for another bot in the group is not ours to answer.
        _h.AskInGroup(BaTu, "Bà Tư", "/start@other_bot");
        await _h.SettleAsync();
        Assert.Single(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group && r.Text!.Contains("câu hỏi #1"));
    }

    [Fact]
    public async Task Claim_unclaim_close_and_reopen_by_command_move_the_ticket_and_edit_the_card()
    {
        var card = await OpenTicketAsync();
        await StaffSaysAsync(Lan, "Lan", "/claim");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Cách dùng: /claim 12");
        await StaffSaysAsync(Lan, "Lan", "/claim 99");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Không tìm thấy phiếu #99");

        await StaffSaysAsync(Lan, "Lan", "/claim 1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Anh/chị đã nhận phiếu #1");
        await _h.CardEditAsync(card, "Đang xử lý · Lan");

        await StaffSaysAsync(Minh, "Minh", "/unclaim 1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "chỉ Lan hoặc quản trị viên");
        await StaffSaysAsync(Lan, "Lan", "/unclaim #1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Lan đã trả phiếu #1");
        Assert.Equal(TicketState.New, (await _h.TicketAsync(1)).State);

        await StaffSaysAsync(Minh, "Minh", "/close 1 trùng với câu hỏi khác");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Minh đã huỷ phiếu #1: trùng với câu hỏi khác");
        Assert.Equal(TicketState.Cancelled, (await _h.TicketAsync(1)).State);
        await _h.CardEditAsync(card, "Đã huỷ");

        await StaffSaysAsync(Minh, "Minh", "/close 1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "không thể đóng");

        await StaffSaysAsync(Minh, "Minh", "/reopen 1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Minh đã mở lại phiếu #1");
        var reopened = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Reopened, reopened.State);
        Assert.Equal(1, reopened.ReopenCount);
    }

    [Fact]
    public async Task Answered_tickets_close_as_resolved()
    {
        var card = await OpenTicketAsync();
        _h.InStaffChat(Lan, "Lan", "Dạ, bác ra UBND xã ạ.", replyTo: card);
        await _h.SentToAsync(BaTu, "UBND xã");
        await StaffSaysAsync(Lan, "Lan", "/close 1 đã gọi điện hướng dẫn");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Lan đã đóng phiếu #1");
        Assert.Equal(TicketState.Resolved, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task Open_mine_and_ticket_list_what_the_team_needs()
    {
        await StaffSaysAsync(Lan, "Lan", "/open");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Không còn phiếu nào");
        await OpenTicketAsync("Cho hỏi đăng ký tạm trú online thế nào?");
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        await OpenTicketAsync("Cho hỏi cấp lại thẻ BHYT ở đâu?", citizen: 502);
        await StaffSaysAsync(Lan, "Lan", "/claim 2");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "đã nhận phiếu #2");

        await StaffSaysAsync(Lan, "Lan", "/open");
        var open = await _h.SentToAsync(HelpBotHarness.StaffChat, "Phiếu chưa giải quyết (2)");
        Assert.True(open.Text!.IndexOf("#1 ", StringComparison.Ordinal) < open.Text.IndexOf("#2 ", StringComparison.Ordinal), "oldest first");
        Assert.Contains("chờ 30 phút", open.Text, StringComparison.Ordinal);

        await StaffSaysAsync(Lan, "Lan", "/mine");
        var mine = await _h.SentToAsync(HelpBotHarness.StaffChat, "Phiếu của anh/chị (1)");
        Assert.Contains("#2 ", mine.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("#1 ", mine.Text, StringComparison.Ordinal);

        await StaffSaysAsync(Lan, "Lan", "/ticket 2");
        var history = await _h.SentToAsync(HelpBotHarness.StaffChat, "Lịch sử:");
        Assert.Contains("Tiếp nhận câu hỏi", history.Text, StringComparison.Ordinal);
        Assert.Contains("Nhận xử lý · Lan", history.Text, StringComparison.Ordinal);
        Assert.Contains("09:30 01/12/2026", history.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_team_and_export_are_for_admins_only()
    {
        var card = await OpenTicketAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(15));
        _h.InStaffChat(Lan, "Lan", "Dạ, bác mang CCCD ra xã ạ.", replyTo: card);
        await _h.SentToAsync(BaTu, "mang CCCD");

        await StaffSaysAsync(Lan, "Lan", "/stats");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "chỉ dành cho quản trị viên");

        await StaffSaysAsync(Admin, HelpBotHarness.AdminName, "/stats today");
        var stats = await _h.SentToAsync(HelpBotHarness.StaffChat, "Số liệu hôm nay");
        Assert.Contains("Tiếp nhận: 1", stats.Text, StringComparison.Ordinal);
        Assert.Contains("trung vị 15 phút", stats.Text, StringComparison.Ordinal);
        Assert.Contains("Lan: 1 · 1 · 0", stats.Text, StringComparison.Ordinal);

        _h.WritePrivately(Admin, HelpBotHarness.AdminName, "/stats month");
        await _h.SentToAsync(Admin, "Số liệu tháng 12/2026");

        await StaffSaysAsync(Admin, HelpBotHarness.AdminName, "/team");
        var team = await _h.SentToAsync(HelpBotHarness.StaffChat, "Tổ hỗ trợ (");
        Assert.Contains("Lan", team.Text, StringComparison.Ordinal);
        Assert.Contains("đang giữ 1 phiếu", team.Text, StringComparison.Ordinal);

        await StaffSaysAsync(Admin, HelpBotHarness.AdminName, "/export 2026-12-01 2026-12-31");
        var file = await _h.Api.WaitForRequestAsync(r => r.Method == "sendDocument" && r.ChatId == HelpBotHarness.StaffChat);
        var csv = System.Text.Encoding.UTF8.GetString(Assert.Single(file.Files).Content).TrimStart('\uFEFF');
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(HelpBot.Reports.CsvExport.Header, lines[0]);
        Assert.StartsWith("1,telegram,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",900,", lines[1], StringComparison.Ordinal); // 15 minutes to the first response

        await StaffSaysAsync(Admin, HelpBotHarness.AdminName, "/export tháng-này");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Cách dùng: /export");
    }

    [Fact]
    public async Task Team_commands_typed_in_the_public_group_stay_silent_there()
    {
        _h.InStaffChat(Lan, "Lan", "Chào cả tổ");
        await _h.SettleAsync();
        _h.AskInGroup(Lan, "Lan", "/open");
        await _h.SettleAsync();
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group);
    }

    [Fact]
    public async Task A_reply_to_a_bot_message_that_is_not_a_card_is_not_silently_dropped()
    {
        _h.InStaffChat(Lan, "Lan", "/help");
        var help = await _h.SentToAsync(HelpBotHarness.StaffChat, "Cách làm việc với phiếu");
        _h.InStaffChat(Lan, "Lan", "Dạ bác ra xã ạ", replyTo: help.ResultMessageId);
        await _h.SentToAsync(HelpBotHarness.StaffChat, "không gắn với phiếu nào");
    }
}
