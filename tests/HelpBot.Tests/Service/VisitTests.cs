using HelpBot.Tests.Support;

namespace HelpBot.Tests.Service;

public sealed class VisitTests
{
    private const long Village3 = -1003333;

    [Fact]
    public async Task A_home_visit_goes_from_request_to_outcome_with_its_times_in_the_history_and_the_export()
    {
        await using var h = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Villages:0:Name"] = "Thôn 3";
            s["HelpBot:Villages:0:ChatId"] = Village3.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        h.WritePrivately(501, "Cụ Bảy", "Tôi 90 tuổi, không đi lại được, cho hỏi làm căn cước thế nào?");
        var card = await h.CardAsync(1);
        h.InStaffChat(601, "Lan", "/visit 1 thon 3 nhà cụ Bảy, cạnh nhà văn hoá");
        await h.SentToAsync(HelpBotHarness.StaffChat, "Đã gửi đề nghị thăm nhà (phiếu #1) cho Thôn 3");
        var visitCard = await h.SentToAsync(Village3, "🏠 Thăm nhà · phiếu #1 · Thôn 3");
        Assert.Contains("nhà cụ Bảy, cạnh nhà văn hoá", visitCard.Text, StringComparison.Ordinal);
        await HelpBotHarness.WaitUntilAsync("the visit card is linked", async () =>
            await h.ScalarAsync("SELECT count(*) FROM message_links WHERE role = 'visit-card'") == 1);

        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var press = h.Api.PressButton(Village3, visitCard.ResultMessageId!.Value, 801, "Anh Tài (thôn 3)", "visit:1");
        Assert.Contains("nhận đi thăm", (await h.CallbackAnswerAsync(press.CallbackQueryId)).Text, StringComparison.Ordinal);
        await h.Api.WaitForRequestAsync(r => r.Method == "editMessageText" && r.ChatId == Village3 && r.Text!.Contains("Đang đi thăm: Anh Tài"));
        var other = h.Api.PressButton(Village3, visitCard.ResultMessageId.Value, 802, "Chị Na", "visit:1");
        Assert.Contains("đã có người nhận", (await h.CallbackAnswerAsync(other.CallbackQueryId)).Text, StringComparison.Ordinal);

        h.Clock.Advance(TimeSpan.FromHours(2));
        h.Api.SendFromUser(Village3, 801, "Anh Tài (thôn 3)", "Đã đến nhà, hướng dẫn cụ làm căn cước lưu động tuần sau.", visitCard.ResultMessageId, "supergroup", "Tổ thôn 3");
        var told = await h.SentToAsync(HelpBotHarness.StaffChat, "🏠 #1 · Thôn 3: Anh Tài (thôn 3) đã thăm nhà");
        Assert.Equal(card.ResultMessageId, told.ReplyToMessageId);

        var history = (await h.EventsAsync(1)).Select(e => e.Kind).ToList();
        Assert.Contains("VisitRequested", history);
        Assert.Contains("VisitClaimed", history);
        Assert.Contains("VisitDone", history);
        await h.SettleAsync();
        var output = new StringWriter();
        await HelpBot.Hosting.ExportVerb.RunAsync([$"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], output);
        var row = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
        Assert.EndsWith(",Thôn 3,2026-12-01T02:00:00Z,2026-12-01T04:10:00Z,\"Đã đến nhà, hướng dẫn cụ làm căn cước lưu động tuần sau.\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_village_is_refused_with_the_list()
    {
        await using var h = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Villages:0:Name"] = "Thôn 3";
            s["HelpBot:Villages:0:ChatId"] = "-1003333";
        });
        h.WritePrivately(501, "Cụ Bảy", "Cho hỏi làm căn cước tại nhà?");
        await h.CardAsync(1);
        h.InStaffChat(601, "Lan", "/visit 1 thôn 9 nhà cụ");
        await h.SentToAsync(HelpBotHarness.StaffChat, "Không rõ thôn. Các thôn: Thôn 3.");
    }
}
