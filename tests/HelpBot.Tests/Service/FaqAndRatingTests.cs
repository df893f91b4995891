using HelpBot.Service;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Service;

public sealed class FaqMatchTests
{
    private static readonly FaqEntry[] Entries =
    [
        new() { Id = 1, Keywords = "căn cước, mất", Answer = "Làm lại tại Công an xã." },
        new() { Id = 2, Keywords = "căn cước", Answer = "Làm tại Công an xã." },
        new() { Id = 3, Keywords = "giờ làm việc", Answer = "Sáng 7 giờ 30 đến 11 giờ 30, chiều 13 giờ 30 đến 17 giờ." },
        new() { Id = 4, Keywords = "khai sinh, lệ phí", Answer = "Miễn lệ phí khi đăng ký đúng hạn." },
        new() { Id = 5, Keywords = "vneid, mức 2", Answer = "Mang căn cước ra Công an xã để kích hoạt mức 2." },
    ];

    [Theory]
    [InlineData("Cho hỏi làm căn cước ở đâu?", 2)]
    [InlineData("cho hoi lam can cuoc o dau", 2)]
    [InlineData("Tôi bị mất căn cước thì làm sao?", 1)]
    [InlineData("bi mat can cuoc lam lai the nao", 1)]
    [InlineData("Xã làm việc mấy giờ? giờ làm việc thứ 7 có không", 3)]
    [InlineData("gio lam viec cua xa the nao", 3)]
    [InlineData("Đăng ký khai sinh có mất lệ phí không?", 4)]
    [InlineData("dang ky khai sinh le phi bao nhieu", 4)]
    [InlineData("Kích hoạt VNeID mức 2 ở đâu?", 5)]
    [InlineData("vneid muc 2 lam sao", 5)]
    [InlineData("Đăng ký khai sinh cần giấy gì?", null)]
    [InlineData("VNeID bị lỗi đăng nhập", null)]
    [InlineData("Cho hỏi cấp sổ đỏ?", null)]
    [InlineData("căn cướcc", null)]
    public void A_question_gets_the_entry_whose_keywords_it_all_contains_the_most_specific_first(string question, int? expected) =>
        Assert.Equal(expected, FaqMatcher.Match(question, Entries)?.Id);
}

public sealed class FaqAndRatingTests : IAsyncLifetime
{
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await HelpBotHarness.StartAsync();
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/faq add giờ làm việc | Dạ, xã làm việc sáng 7 giờ 30 đến 11 giờ 30, chiều 13 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu ạ.");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Đã thêm câu trả lời tự động số 1");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_common_question_is_answered_at_once_and_solved_counts_as_answered_automatically()
    {
        var question = _h.WritePrivately(501, "Bà Tư", "Cho hỏi giờ làm việc của xã?");
        var answer = await _h.SentToAsync(501, "trả lời tự động cho câu hỏi #1");
        Assert.Equal(question.MessageId, answer.ReplyToMessageId);
        Assert.Equal(["Đã giải quyết", "Cần người hỗ trợ"], answer.InlineButtons.Select(b => b.Text));
        await _h.SettleAsync();
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.StaffChat && r.Text!.Contains("Phiếu #1 "));

        _h.Api.PressButton(501, answer.ResultMessageId!.Value, 501, "Bà Tư", "solved:1");
        var rating = await _h.SentToAsync(501, "chấm điểm");
        var ticket = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Resolved, ticket.State);
        Assert.Equal(1, ticket.FaqEntryId);
        Assert.Equal(ticket.CreatedAt, ticket.FirstResponseAt);

        _h.Api.PressButton(501, rating.ResultMessageId!.Value, 501, "Bà Tư", "rate:1:5");
        await _h.Api.WaitForRequestAsync(r => r.Method == "answerCallbackQuery" && (r.GetString("text")?.Contains("5 sao") ?? false));
        await HelpBotHarness.WaitUntilAsync("the rating is stored", async () => (await _h.TicketAsync(1)).Rating == 5);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats");
        var stats = await _h.SentToAsync(HelpBotHarness.StaffChat, "Số liệu hôm nay");
        Assert.Contains("Mức hài lòng: ⭐ 5.0/5 (1 lượt; 1–5 sao: 0 · 0 · 0 · 0 · 1)", stats.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Needs_help_routes_the_question_to_the_team_with_its_card()
    {
        _h.WritePrivately(501, "Bà Tư", "giờ làm việc thứ bảy có không?");
        var answer = await _h.SentToAsync(501, "trả lời tự động");
        _h.Api.PressButton(501, answer.ResultMessageId!.Value, 501, "Bà Tư", "help:1");
        var card = await _h.CardAsync(1);
        Assert.Contains("thứ bảy", card.Text, StringComparison.Ordinal);
        Assert.Equal(TicketState.Reopened, (await _h.TicketAsync(1)).State);
        _h.InStaffChat(601, "Lan", "Dạ, thứ Bảy xã nghỉ ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(501, "thứ Bảy xã nghỉ");
        Assert.Equal("Lan", (await _h.TicketAsync(1)).AssigneeName);
    }

    [Fact]
    public async Task Only_the_asker_rates_and_only_a_resolved_question()
    {
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi đăng ký tạm trú ở đâu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(601, "Lan", "Dạ, trên VNeID ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(501, "trên VNeID");
        var early = _h.Api.PressButton(501, answer.ResultMessageId!.Value, 501, "Bà Tư", "rate:1:1");
        await _h.CallbackAnswerAsync(early.CallbackQueryId);
        Assert.Null((await _h.TicketAsync(1)).Rating);

        _h.Api.PressButton(501, answer.ResultMessageId.Value, 501, "Bà Tư", "solved:1");
        var prompt = await _h.SentToAsync(501, "chấm điểm");
        var stranger = _h.Api.PressButton(501, prompt.ResultMessageId!.Value, 777, "Ai đó", "rate:1:1");
        Assert.Contains("dành cho người đã đặt câu hỏi", (await _h.CallbackAnswerAsync(stranger.CallbackQueryId)).Text, StringComparison.Ordinal);
        _h.Api.PressButton(501, prompt.ResultMessageId.Value, 501, "Bà Tư", "rate:1:4");
        await HelpBotHarness.WaitUntilAsync("the rating is stored", async () => (await _h.TicketAsync(1)).Rating == 4);
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/stats");
        var stats = await _h.SentToAsync(HelpBotHarness.StaffChat, "Số liệu hôm nay");
        Assert.Contains("Lan: 1 · 1 · 1 · 0 giây · ⭐ 4.0 (1)", stats.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_list_and_remove_automatic_answers()
    {
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/faq list");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "1. [giờ làm việc]");
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/faq remove 1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Đã bỏ câu trả lời tự động số 1");
        _h.WritePrivately(501, "Bà Tư", "Cho hỏi giờ làm việc của xã?");
        await _h.CardAsync(1);
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/faq add chỉ từ khoá");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Cách dùng: /faq add");
    }
}
