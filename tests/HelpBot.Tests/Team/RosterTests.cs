using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Team;

/// <summary>The roster, skills-based routing and admins, through the real host.</summary>
public sealed class RosterTests : IAsyncLifetime
{
    private const long Admin = HelpBotHarness.AdminId;
    private const long Lan = 601;
    private const long Minh = 602;
    private const long Tuan = 603;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<HelpBot.Tests.Fakes.FakeRequest> AdminSaysAsync(string command, string expect)
    {
        _h.InStaffChat(Admin, HelpBotHarness.AdminName, command);
        return _h.SentToAsync(HelpBotHarness.StaffChat, expect);
    }

    [Fact]
    public async Task The_card_suggests_members_with_the_skill_who_are_not_away_least_loaded_first_and_mentions_them()
    {
        await AdminSaysAsync("/team add 601 Lan", "Đã thêm Lan");
        await AdminSaysAsync("/team add 602 Minh", "Đã thêm Minh");
        await AdminSaysAsync("/team add 603 Tuấn", "Đã thêm Tuấn");
        await AdminSaysAsync("/team skills Lan cu-tru, ho-tich", "Lan phụ trách: Cư trú, Hộ tịch");
        await AdminSaysAsync("/team skills 602 cư trú", "Minh phụ trách: Cư trú");
        await AdminSaysAsync("/team skills tuan cu tru", "Tuấn phụ trách: Cư trú");
        await AdminSaysAsync("/team skills Lan bong-da", "Không có lĩnh vực «bong-da»");

        // Minh already holds a ticket, Tuấn is away.
        _h.WritePrivately(700, "Ông Sáu", "Cho hỏi đăng ký tạm trú cho người thuê trọ thế nào?");
        var first = await _h.CardAsync(1);
        Assert.Contains("Lĩnh vực: Cư trú", first.Text, StringComparison.Ordinal);
        _h.Api.PressButton(HelpBotHarness.StaffChat, first.ResultMessageId!.Value, Minh, "Minh", "claim:1");
        await _h.CardEditAsync(first.ResultMessageId.Value, "Đang xử lý · Minh");
        _h.InStaffChat(Tuan, "Tuấn", "/away");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Tuấn đang vắng");

        _h.WritePrivately(701, "Chị Năm", "dang ky thuong tru cho con o dau a");
        var second = await _h.CardAsync(2);
        Assert.Contains("Gợi ý: Lan (0 phiếu), Minh (1 phiếu)", second.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tuấn", second.Text, StringComparison.Ordinal);
        var mentioned = second.Body["entities"]!.AsArray().Select(e => e!["user"]!["id"]!.GetValue<long>()).ToList();
        Assert.Equal([Lan, Minh], mentioned);

        _h.InStaffChat(Tuan, "Tuấn", "/back");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Chào mừng Tuấn quay lại");
    }

    [Fact]
    public async Task A_member_changes_a_tickets_category_and_the_card_follows()
    {
        _h.WritePrivately(700, "Ông Sáu", "Cho hỏi mai xã có làm việc không?");
        var card = await _h.CardAsync(1);
        Assert.Contains("Lĩnh vực: Khác", card.Text, StringComparison.Ordinal);
        _h.InStaffChat(Lan, "Lan", "/cat 1 đất đai");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "đã chuyển sang lĩnh vực «Đất đai»");
        await _h.CardEditAsync(card.ResultMessageId!.Value, "Lĩnh vực: Đất đai");
        Assert.Equal("dat-dai", (await _h.TicketAsync(1)).Category);
        _h.InStaffChat(Lan, "Lan", "/cat 1 vũ trụ");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Không có lĩnh vực «vũ trụ»");
        Assert.Contains(await _h.EventsAsync(1), e => e.Kind == "CategoryChanged" && e.Detail == "khac → dat-dai");
    }

    [Fact]
    public async Task Admins_are_named_and_unnamed_by_admins_and_configured_admins_stay()
    {
        _h.InStaffChat(Lan, "Lan", "/admin add 602");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "chỉ dành cho quản trị viên");

        _h.InStaffChat(Minh, "Minh", "Chào cả tổ");
        await AdminSaysAsync("/admin add 602", "Minh đã là quản trị viên");
        _h.InStaffChat(Minh, "Minh", "/stats");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Số liệu hôm nay");

        await AdminSaysAsync("/admin remove 602", "Minh không còn là quản trị viên");
        await AdminSaysAsync($"/admin remove {Admin}", "quản trị viên trong cấu hình");
        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM audit_events")); // the refused removal changes nothing
    }

    [Fact]
    public async Task The_team_list_shows_skills_availability_open_tickets_and_this_months_figures()
    {
        await AdminSaysAsync("/team add 601 Lan", "Đã thêm Lan");
        await AdminSaysAsync("/team skills 601 bhyt", "Lan phụ trách: Bảo hiểm y tế");
        _h.WritePrivately(700, "Ông Sáu", "Thẻ BHYT hết hạn gia hạn ở đâu?");
        var card = await _h.CardAsync(1);
        _h.Clock.Advance(TimeSpan.FromMinutes(12));
        _h.InStaffChat(Lan, "Lan", "Dạ, bác gia hạn ở bưu điện xã ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(700, "bưu điện xã");
        var list = await AdminSaysAsync("/team", "Tổ hỗ trợ (");
        Assert.Contains("• Lan · Telegram 601 · đang giữ 1 phiếu", list.Text, StringComparison.Ordinal);
        Assert.Contains("Bảo hiểm y tế · tháng này trả lời 1, trung vị phản hồi 12 phút", list.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Team_add_as_a_reply_takes_the_persons_id_from_the_message()
    {
        var hello = _h.AskInGroup(888, "Cô Hạnh", "Chào cả nhà, em là cán bộ văn hoá mới");
        await _h.SettleAsync();
        _h.AskInGroup(Admin, HelpBotHarness.AdminName, "/team add Hạnh (văn hoá)", replyTo: hello.MessageId);
        await _h.SettleAsync();
        // Team commands stay silent in the public group; the roster changes only from the team's chats.
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM team_members WHERE user_id = '888'"));

        var inStaff = _h.InStaffChat(888, "Cô Hạnh", "Em chào cả tổ ạ");
        _h.InStaffChat(Admin, HelpBotHarness.AdminName, "/team add Hạnh (văn hoá)", replyTo: inStaff.MessageId);
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Đã thêm Hạnh (văn hoá)");
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM team_members WHERE user_id = '888' AND display_name = 'Hạnh (văn hoá)'"));
    }
}

public sealed class StatsCommandTests : IAsyncLifetime
{
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Stats_by_member_category_and_group_answer_in_the_chat()
    {
        _h.AskInGroup(700, "Ông Sáu", "Cho hỏi đăng ký tạm trú ở đâu?");
        var card = await _h.CardAsync(1);
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        _h.InStaffChat(601, "Lan", "Dạ, bác đăng ký trên VNeID ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(HelpBotHarness.Group, "trên VNeID");

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats categories");
        var byCategory = await _h.SentToAsync(HelpBotHarness.StaffChat, "Theo lĩnh vực");
        Assert.Contains("• Cư trú: 1 · 1 · 0 · 0 · 1 · 30 phút · 100 %", byCategory.Text, StringComparison.Ordinal);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats week groups");
        var byGroup = await _h.SentToAsync(HelpBotHarness.StaffChat, "Theo nhóm tuần này");
        Assert.Contains($"• {HelpBotHarness.GroupTitle}: 1", byGroup.Text, StringComparison.Ordinal);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats @Lan");
        var lan = await _h.SentToAsync(HelpBotHarness.StaffChat, "của Lan");
        Assert.Contains("Tiếp nhận: 1 câu hỏi", lan.Text, StringComparison.Ordinal);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats @Ai_đó");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Cách dùng: /stats");
    }
}
