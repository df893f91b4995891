using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>Citizens on Zalo Bot, the response team on Telegram (HelpBot:Staff:Channel=telegram).</summary>
public sealed class ZaloBotCrossChannelTests : IAsyncLifetime
{
    private const string BaTu = "a0c01dfe32b3dbed82a2";
    private const long Lan = 601;
    private const string PhotoUrl = "https://photo-stal-29.zdn.vn/no/jpg/bccf2cc441c88096d9d9/1234858379660747898.jpg";
    private ZaloBotTestHost _z = null!;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync(staffOnTelegram: true);

    public async Task DisposeAsync() => await _z.DisposeAsync();

    [Fact]
    public async Task A_zalo_question_is_carded_on_telegram_answered_by_a_reply_to_the_card_and_resolved_on_zalo()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đăng ký tạm trú cho con trọ thế nào ạ?"));
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");

        var card = await _z.H.CardAsync(1);
        Assert.Contains("Phiếu #1 · Zalo, nhắn riêng", card.Text, StringComparison.Ordinal);
        Assert.Contains("Bà Tư", card.Text, StringComparison.Ordinal);
        // The staff channel has replies: the card says so, and keeps its claim button.
        Assert.Contains("Trả lời (reply)", card.Text, StringComparison.Ordinal);

        _z.H.Clock.Advance(TimeSpan.FromMinutes(5));
        _z.H.Api.SendFromUser(HelpBotHarness.StaffChat, Lan, "Lan", "Dạ, chủ nhà khai báo tạm trú trên VNeID ạ.", card.ResultMessageId, "supergroup", "Tổ phản ứng nhanh");
        var answer = await _z.Zalo.MessageToAsync(BaTu, "trên VNeID");
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1 của anh/chị:", answer.Text, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);

        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "1"));
        await HelpBotHarness.WaitUntilAsync("the ticket is resolved", async () => (await _z.H.TicketAsync(1)).State == TicketState.Resolved);
        await _z.H.CardEditAsync(card.ResultMessageId!.Value, "Đã giải quyết");
        var ticket = await _z.H.TicketAsync(1);
        Assert.Equal(("zalo-bot", $"telegram:{Lan}"), (ticket.Channel, ticket.AssigneeId));
    }

    [Fact]
    public async Task A_citizens_zalo_photo_reaches_the_telegram_staff_chat_by_sendPhoto_with_the_zalo_address()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi giấy này khai sai tên thì sửa thế nào ạ?"));
        var card = await _z.H.CardAsync(1);

        await _z.DeliverAsync(_z.Zalo.Image(BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư", PhotoUrl, caption: "Giấy khai sinh của cháu"));
        var photo = await _z.H.Api.WaitForRequestAsync(r => r.Method == "sendPhoto" && r.ChatId == HelpBotHarness.StaffChat && r.Succeeded);
        Assert.Equal(PhotoUrl, photo.GetString("photo"));
        Assert.Contains("#1", photo.Caption, StringComparison.Ordinal);
        Assert.Contains("Giấy khai sinh của cháu", photo.Caption, StringComparison.Ordinal);
        Assert.Equal(card.ResultMessageId, photo.ReplyToMessageId);
    }

    [Fact]
    public async Task A_group_question_on_zalo_names_its_group_and_the_answer_from_telegram_names_the_citizen()
    {
        await _z.DeliverAsync(_z.AskInGroup(BaTu, "Bà Tư", "Cho hỏi thẻ BHYT hết hạn gia hạn ở đâu ạ?"));
        var card = await _z.H.CardAsync(1);
        Assert.Contains("Zalo, nhóm hỗ trợ", card.Text, StringComparison.Ordinal);

        _z.H.Api.SendFromUser(HelpBotHarness.StaffChat, Lan, "Lan", "Dạ, bác gia hạn tại bưu điện xã ạ.", card.ResultMessageId, "supergroup", "Tổ phản ứng nhanh");
        var answer = await _z.Zalo.MessageToAsync(ZaloBotTestHost.SupportGroup, "bưu điện xã");
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1 của Bà Tư («Cho hỏi thẻ BHYT hết hạn", answer.Text, StringComparison.Ordinal);
    }
}
