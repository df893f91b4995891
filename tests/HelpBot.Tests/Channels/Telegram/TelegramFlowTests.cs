using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.Telegram;

/// <summary>The whole flow through the real host: citizen, staff chat, SQLite, and back.</summary>
public sealed class TelegramFlowTests : IAsyncLifetime
{
    private const long BaTu = 501;      // a citizen
    private const long Lan = 601;       // team members
    private const long Minh = 602;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Group_question_is_acknowledged_carded_claimed_answered_under_the_question_and_resolved()
    {
        var question = _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ");

        var ack = await _h.SentToAsync(HelpBotHarness.Group, "câu hỏi #1");
        Assert.Equal(question.MessageId, ack.ReplyToMessageId);
        Assert.StartsWith("Dạ,", ack.Text, StringComparison.Ordinal);

        var card = await _h.CardAsync(1);
        Assert.Contains("Bà Tư", card.Text, StringComparison.Ordinal);
        Assert.Contains(HelpBotHarness.GroupTitle, card.Text, StringComparison.Ordinal);
        Assert.Contains("làm căn cước cho cháu 14 tuổi", card.Text, StringComparison.Ordinal);
        Assert.Equal("Nhận xử lý", Assert.Single(card.InlineButtons).Text);

        _h.Clock.Advance(TimeSpan.FromMinutes(4));
        var press = _h.Api.PressButton(HelpBotHarness.StaffChat, card.ResultMessageId!.Value, Lan, "Lan", "claim:1");
        var claimed = await _h.CallbackAnswerAsync(press.CallbackQueryId);
        Assert.Contains("#1", claimed.Text, StringComparison.Ordinal);
        await _h.CardEditAsync(card.ResultMessageId.Value, "Lan");

        _h.Clock.Advance(TimeSpan.FromMinutes(6));
        _h.InStaffChat(Lan, "Lan", "Dạ, bác đưa cháu ra Công an xã, mang theo giấy khai sinh ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(HelpBotHarness.Group, "Công an xã");
        Assert.Equal(question.MessageId, answer.ReplyToMessageId);
        Assert.Equal(["Đã giải quyết", "Chưa giải quyết"], answer.InlineButtons.Select(b => b.Text));

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        var solved = _h.Api.PressButton(HelpBotHarness.Group, answer.ResultMessageId!.Value, BaTu, "Bà Tư", "solved:1");
        await _h.CallbackAnswerAsync(solved.CallbackQueryId);
        await _h.CardEditAsync(card.ResultMessageId.Value, "Đã giải quyết");

        var ticket = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Resolved, ticket.State);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(4), ticket.ClaimedAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(10), ticket.FirstResponseAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(12), ticket.ResolvedAt);
        Assert.Equal($"telegram:{Lan}", ticket.AssigneeId);
        Assert.Equal(["Created", "Claimed", "Answered", "CitizenSolved", "Resolved"], (await _h.EventsAsync(1)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Private_question_answered_by_replying_to_the_card_claims_and_answers_at_once()
    {
        var question = _h.WritePrivately(BaTu, "Bà Tư", "Tôi muốn đăng ký thường trú cho con dâu");
        await _h.SentToAsync(BaTu, "câu hỏi #1");
        var card = await _h.CardAsync(1);
        Assert.Contains("nhắn riêng", card.Text, StringComparison.Ordinal);

        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        _h.InStaffChat(Minh, "Minh", "Dạ, bác nộp hồ sơ trên Cổng Dịch vụ công quốc gia ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(BaTu, "Cổng Dịch vụ công");
        Assert.Equal(question.MessageId, answer.ReplyToMessageId);

        var ticket = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Answered, ticket.State);
        Assert.Equal(ticket.ClaimedAt, ticket.FirstResponseAt);
        Assert.Equal("Minh", ticket.AssigneeName);
    }

    [Fact]
    public async Task Not_solved_reopens_tells_the_owner_and_a_second_answer_reaches_the_citizen()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi trợ cấp người cao tuổi nhận ở đâu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "Dạ, bác nhận tại bưu điện xã ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(BaTu, "bưu điện xã");

        var press = _h.Api.PressButton(BaTu, answer.ResultMessageId!.Value, BaTu, "Bà Tư", "unsolved:1");
        var notice = await _h.CallbackAnswerAsync(press.CallbackQueryId);
        Assert.Contains("xem lại", notice.Text, StringComparison.Ordinal);
        var toStaff = await _h.SentToAsync(HelpBotHarness.StaffChat, "CHƯA giải quyết");
        Assert.Contains("Lan", toStaff.Text, StringComparison.Ordinal);
        Assert.Equal(card.ResultMessageId, toStaff.ReplyToMessageId);
        // The buttons come off the answer so the choice is not made twice.
        await _h.Api.WaitForRequestAsync(r => r.Method == "editMessageReplyMarkup" && r.MessageId == answer.ResultMessageId);

        var reopened = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Reopened, reopened.State);
        Assert.Equal(1, reopened.ReopenCount);

        _h.InStaffChat(Lan, "Lan", "Dạ, từ tháng này bác nhận qua tài khoản ngân hàng ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(BaTu, "tài khoản ngân hàng");
        Assert.Equal(TicketState.Answered, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task Two_members_claiming_at_once_exactly_one_wins_and_the_other_is_told_who_has_it()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Xin hỏi đăng ký khai sinh online thế nào");
        var card = await _h.CardAsync(1);
        var lan = _h.Api.PressButton(HelpBotHarness.StaffChat, card.ResultMessageId!.Value, Lan, "Lan", "claim:1");
        var minh = _h.Api.PressButton(HelpBotHarness.StaffChat, card.ResultMessageId.Value, Minh, "Minh", "claim:1");

        var first = await _h.CallbackAnswerAsync(lan.CallbackQueryId);
        var second = await _h.CallbackAnswerAsync(minh.CallbackQueryId);
        Assert.Contains("đã nhận phiếu #1", first.Text, StringComparison.Ordinal);
        Assert.Contains("đã do Lan nhận", second.Text, StringComparison.Ordinal);
        Assert.Single(await _h.EventsAsync(1), e => e.Kind == "Claimed");

        // Minh's reply to the card is refused politely, and nothing reaches the citizen from him.
        _h.InStaffChat(Minh, "Minh", "Dạ, bác làm trên VNeID ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(HelpBotHarness.StaffChat, "đang do Lan xử lý");
        await _h.SettleAsync();
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group && (r.Text?.Contains("VNeID") ?? false));
    }

    [Fact]
    public async Task Follow_ups_join_the_open_ticket_and_are_relayed_under_the_card()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi cấp đổi sổ đỏ cần giấy tờ gì?");
        var ack = await _h.SentToAsync(HelpBotHarness.Group, "câu hỏi #1");
        var card = await _h.CardAsync(1);

        _h.AskInGroup(BaTu, "Bà Tư", "Sổ của tôi bị rách một góc", replyTo: ack.ResultMessageId);
        var relay = await _h.SentToAsync(HelpBotHarness.StaffChat, "bị rách một góc");
        Assert.Equal(card.ResultMessageId, relay.ReplyToMessageId);

        var photo = _h.Api.SendPhotoFromUser(HelpBotHarness.Group, BaTu, "Bà Tư", replyToMessageId: ack.ResultMessageId, chatType: "supergroup", chatTitle: HelpBotHarness.GroupTitle);
        var copy = await _h.Api.WaitForRequestAsync(r => r.Method == "copyMessage" && r.ChatId == HelpBotHarness.StaffChat);
        Assert.Equal(photo.MessageId, copy.MessageId);
        Assert.Equal(card.ResultMessageId, copy.ReplyToMessageId);

        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(2, (await _h.EventsAsync(1)).Count(e => e.Kind == "FollowUp"));
    }

    [Fact]
    public async Task A_photo_without_words_gets_one_question_back_and_the_next_message_opens_a_ticket_with_it()
    {
        var photo = _h.Api.SendPhotoFromUser(BaTu, BaTu, "Bà Tư", chatType: "private");
        var asked = await _h.SentToAsync(BaTu, "cần hỗ trợ gì");
        Assert.Equal(photo.MessageId, asked.ReplyToMessageId);
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));

        _h.WritePrivately(BaTu, "Bà Tư", "Giấy này có dùng để làm VNeID mức 2 được không");
        var card = await _h.CardAsync(1);
        var copy = await _h.Api.WaitForRequestAsync(r => r.Method == "copyMessage" && r.ChatId == HelpBotHarness.StaffChat);
        Assert.Equal(photo.MessageId, copy.MessageId);
        Assert.Equal(card.ResultMessageId, copy.ReplyToMessageId);
    }

    [Fact]
    public async Task Greetings_thanks_stickers_chatter_and_the_team_open_no_ticket()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Chào cả nhà ạ");
        _h.AskInGroup(BaTu, "Bà Tư", "Cảm ơn các cháu nhiều");
        _h.Api.SendStickerFromUser(HelpBotHarness.Group, BaTu, "Bà Tư", chatType: "supergroup", chatTitle: HelpBotHarness.GroupTitle);
        _h.AskInGroup(BaTu, "Bà Tư", "Hôm nay thôn 3 họp lúc 8 giờ");
        _h.InStaffChat(Lan, "Lan", "Mọi người ơi chiều nay họp nhé");
        _h.AskInGroup(Lan, "Lan", "Bà con cho hỏi ai chưa nhận thẻ BHYT?");
        await _h.SettleAsync();
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group);

        // In a private chat a person is waiting: a sticker gets a short, polite answer.
        _h.Api.SendStickerFromUser(BaTu, BaTu, "Bà Tư", chatType: "private");
        await _h.SentToAsync(BaTu, "cứ nhắn vào đây");
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_team_member_answering_in_the_group_itself_counts_as_the_answer()
    {
        _h.InStaffChat(Lan, "Lan", "Chào cả tổ"); // Lan joins the team by writing in the staff chat.
        var question = _h.AskInGroup(BaTu, "Bà Tư", "Lệ phí cấp bản sao khai sinh bao nhiêu?");
        await _h.CardAsync(1);
        var reply = _h.AskInGroup(Lan, "Lan", "Dạ, 8.000 đồng một bản ạ.", replyTo: question.MessageId);

        var feedback = await _h.SentToAsync(HelpBotHarness.Group, "đã giúp được");
        Assert.Equal(reply.MessageId, feedback.ReplyToMessageId);
        Assert.Contains(feedback.InlineButtons, b => b.CallbackData == "solved:1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "8.000 đồng");
        Assert.Equal(TicketState.Answered, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task Hash_number_in_the_staff_chat_answers_without_a_reply()
    {
        var question = _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi thanh toán lệ phí online bằng gì?");
        await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "#1 Dạ, bác thanh toán bằng ứng dụng ngân hàng ạ.");
        var answer = await _h.SentToAsync(BaTu, "ứng dụng ngân hàng");
        Assert.Equal(question.MessageId, answer.ReplyToMessageId);
        Assert.DoesNotContain("#1 Dạ", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_that_are_not_configured_are_ignored_and_remembered_once()
    {
        const long stranger = -1009999;
        _h.Api.SendFromUser(stranger, BaTu, "Bà Tư", "Cho hỏi chỗ này là đâu?", chatType: "supergroup", chatTitle: "Nhóm lạ");
        _h.Api.SendFromUser(stranger, BaTu, "Bà Tư", "Có ai không?", chatType: "supergroup", chatTitle: "Nhóm lạ");
        await _h.SettleAsync();
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM ignored_chats"));
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == stranger);
    }

    [Fact]
    public async Task Undisputed_answers_resolve_themselves_after_the_configured_time()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi BHYT hộ gia đình đóng ở đâu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "Dạ, bác đóng ở bưu điện ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(BaTu, "bưu điện");
        await _h.SettleAsync();

        _h.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await _h.Service<AutoResolveService>().ResolveDueAsync(CancellationToken.None));
        _h.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // the periodic check fires on its own
        await _h.CardEditAsync(card.ResultMessageId!.Value, "Đã giải quyết");
        var ticket = await _h.TicketAsync(1);
        Assert.Equal(TicketState.Resolved, ticket.State);
        Assert.Equal("system", (await _h.EventsAsync(1))[^1].Actor.Id);
    }

    [Fact]
    public async Task Command_menus_are_registered_per_scope()
    {
        var menus = await _h.Api.WaitForCountAsync(r => r.Method == "setMyCommands", 4);
        var scopes = menus.Select(r => r.Body["scope"]?["type"]?.GetValue<string>()).ToList();
        Assert.Contains("all_private_chats", scopes);
        Assert.Contains("all_group_chats", scopes);
        Assert.Equal(2, scopes.Count(s => s == "chat"));
        var staff = menus.Single(r => r.Body["scope"]?["chat_id"]?.GetValue<long>() == HelpBotHarness.StaffChat);
        Assert.Contains("\"claim\"", staff.Body["commands"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"stats\"", staff.Body["commands"]!.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>What the first review found: each case here once went wrong, or could have.</summary>
public sealed class TelegramFlowRegressionTests : IAsyncLifetime
{
    private const long BaTu = 501;
    private const long OngNam = 502;
    private const long Lan = 601;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<(FakeRequest Card, FakeRequest Answer)> AnsweredInGroupAsync()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi xin trích lục khai sinh ở đâu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "Dạ, bác xin ở UBND xã ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(HelpBotHarness.Group, "UBND xã");
        return (card, answer);
    }

    [Fact]
    public async Task Only_the_citizen_who_asked_can_say_whether_the_answer_solved_it()
    {
        var (_, answer) = await AnsweredInGroupAsync();
        var stranger = _h.Api.PressButton(HelpBotHarness.Group, answer.ResultMessageId!.Value, OngNam, "Ông Năm", "solved:1");
        var refusal = await _h.CallbackAnswerAsync(stranger.CallbackQueryId);
        Assert.Contains("dành cho người đã đặt câu hỏi", refusal.Text, StringComparison.Ordinal);
        Assert.Equal(TicketState.Answered, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task A_claim_button_forged_in_the_public_group_claims_nothing()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi làm thẻ BHYT cho trẻ em ở đâu?");
        var ack = await _h.SentToAsync(HelpBotHarness.Group, "câu hỏi #1");
        var press = _h.Api.PressButton(HelpBotHarness.Group, ack.ResultMessageId!.Value, OngNam, "Ông Năm", "claim:1");
        await _h.CallbackAnswerAsync(press.CallbackQueryId);
        Assert.Equal(TicketState.New, (await _h.TicketAsync(1)).State);
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM team_members"));
    }

    [Fact]
    public async Task A_new_question_after_the_answer_reopens_the_ticket_instead_of_letting_it_resolve_unanswered()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi làm căn cước cho cháu ở đâu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "Dạ, ở Công an xã ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(BaTu, "Công an xã");

        _h.WritePrivately(BaTu, "Bà Tư", "Vậy cần mang giấy tờ gì ạ?");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "cần mang giấy tờ gì");
        await _h.CardEditAsync(card.ResultMessageId!.Value, "cần trả lời thêm");
        Assert.Equal(TicketState.Reopened, (await _h.TicketAsync(1)).State);

        _h.Clock.Advance(TimeSpan.FromDays(2));
        await _h.Service<AutoResolveService>().ResolveDueAsync(CancellationToken.None);
        Assert.Equal(TicketState.Reopened, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task Thanks_after_the_answer_get_a_kind_word_and_are_not_relayed()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi lệ phí làm căn cước bao nhiêu?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "Dạ, làm lần đầu thì miễn phí ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(BaTu, "miễn phí");
        _h.WritePrivately(BaTu, "Bà Tư", "Cảm ơn cháu nhiều nhé");
        await _h.SentToAsync(BaTu, "không có gì");
        await _h.SettleAsync();
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.StaffChat && r.Text!.Contains("Cảm ơn cháu"));
        Assert.Equal(TicketState.Answered, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task Notes_that_start_with_two_slashes_stay_in_the_team_and_on_the_ticket()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đất chưa có sổ đỏ thì làm thế nào?");
        var card = await _h.CardAsync(1);
        _h.InStaffChat(Lan, "Lan", "// Tuấn địa chính xem giúp em với", replyTo: card.ResultMessageId);
        _h.InStaffChat(Lan, "Lan", "// #1 ai biết quy định mới không?");
        await _h.SettleAsync();
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == BaTu && r.Text!.Contains("xem giúp"));
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == BaTu && r.Text!.Contains("quy định mới"));
        Assert.Equal(2, (await _h.EventsAsync(1)).Count(e => e.Kind == "Note"));
        Assert.Equal(TicketState.New, (await _h.TicketAsync(1)).State);
    }

    [Fact]
    public async Task A_reply_to_a_card_whose_link_was_lost_still_answers_the_ticket_named_on_it()
    {
        var question = _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đăng ký kết hôn cần gì?");
        var card = await _h.CardAsync(1);
        await _h.SettleAsync();
        await using (var connection = await _h.Db.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM message_links WHERE role = 'card'");
        }
        _h.InStaffChat(Lan, "Lan", "Dạ, hai bạn mang căn cước ra UBND xã ạ.", replyTo: card.ResultMessageId);
        var answer = await _h.SentToAsync(BaTu, "mang căn cước ra UBND xã");
        Assert.Equal(question.MessageId, answer.ReplyToMessageId);
    }

    [Fact]
    public async Task A_photo_answer_is_copied_to_the_citizen_with_the_feedback_buttons()
    {
        var question = _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi mẫu tờ khai đăng ký khai sinh?");
        var card = await _h.CardAsync(1);
        var photo = _h.Api.SendPhotoFromUser(HelpBotHarness.StaffChat, Lan, "Lan", caption: "Dạ, mẫu tờ khai đây ạ", replyToMessageId: card.ResultMessageId, chatType: "supergroup", chatTitle: "Tổ");
        var copy = await _h.Api.WaitForRequestAsync(r => r.Method == "copyMessage" && r.ChatId == BaTu);
        Assert.Equal(photo.MessageId, copy.MessageId);
        Assert.Equal(question.MessageId, copy.ReplyToMessageId);
        Assert.Contains(copy.InlineButtons, b => b.CallbackData == "unsolved:1");
    }

    [Fact]
    public async Task Not_solved_notifies_the_owner_by_user_id_not_only_by_name()
    {
        var (_, answer) = await AnsweredInGroupAsync();
        _h.Api.PressButton(HelpBotHarness.Group, answer.ResultMessageId!.Value, BaTu, "Bà Tư", "unsolved:1");
        var told = await _h.SentToAsync(HelpBotHarness.StaffChat, "CHƯA giải quyết");
        var entity = told.Body["entities"]!.AsArray().Single()!;
        Assert.Equal("text_mention", entity["type"]!.GetValue<string>());
        Assert.Equal(Lan, entity["user"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Admins_add_and_remove_team_members_and_a_departing_members_tickets_return_to_new()
    {
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/team add 777 Hạnh (văn hoá)");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "Đã thêm Hạnh (văn hoá)");
        _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi thủ tục nhận trợ cấp mai táng?");
        var card = await _h.CardAsync(1);
        _h.Api.PressButton(HelpBotHarness.StaffChat, card.ResultMessageId!.Value, 777, "Cô Hạnh", "claim:1");
        await _h.CardEditAsync(card.ResultMessageId.Value, "Đang xử lý");

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/team remove 777");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "phiếu #1 trở về chờ người nhận");
        Assert.Equal(TicketState.New, (await _h.TicketAsync(1)).State);
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM team_members WHERE user_id = '777'"));
        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task A_thousand_rows_waiting_in_one_chat_do_not_hold_up_any_other_chat()
    {
        await using (var s = await HelpBot.Storage.DeskSession.BeginAsync(_h.Db.Database))
        {
            for (var i = 0; i < 1100; i++)
            {
                await s.EnqueueAsync("telegram", "-4242", "group", 0, null,
                    new HelpBot.Outbox.OutboundMessage { Kind = HelpBot.Outbox.OutboundKind.Text, Text = $"cũ {i}" }, _h.Clock.GetUtcNow());
            }
            await Dapper.SqlMapper.ExecuteAsync(s.Connection, "UPDATE outbox SET attempts = 1, next_attempt_at = @later",
                new { later = _h.Clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds() }, s.Transaction);
            await s.CommitAsync();
        }
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi chứng thực bản sao ở đâu?");
        await _h.SentToAsync(BaTu, "câu hỏi #1");
        await _h.CardAsync(1);
    }
}
