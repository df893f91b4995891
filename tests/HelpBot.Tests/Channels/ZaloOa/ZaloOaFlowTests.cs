using System.Net;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>Citizens on the Zalo OA, the team on Telegram: the whole ticket flow through the real host.</summary>
public sealed class ZaloOaFlowTests : IAsyncLifetime
{
    private ZaloOaDesk _d = null!;

    public async Task InitializeAsync() => _d = await ZaloOaDesk.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task A_citizen_asks_the_OA_the_team_answers_on_Telegram_and_the_citizen_resolves_it_with_1()
    {
        var question = await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi đăng ký khai sinh cho con cần những giấy tờ gì ạ?");
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM tickets")); // stored before the 200

        var ack = await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(question, ack.QuoteMessageId);
        Assert.Equal(_d.Oa.CurrentAccessToken, ack.AccessToken);

        var card = await _d.H.CardAsync(1);
        Assert.Contains("Zalo", card.Text, StringComparison.Ordinal);
        Assert.Contains("Người dùng Zalo …7922", card.Text, StringComparison.Ordinal);

        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, anh/chị mang giấy chứng sinh và căn cước của bố mẹ đến bộ phận một cửa ạ.", replyTo: card.ResultMessageId);
        var answer = await _d.SentToUserAsync(ZaloOaDesk.Citizen, "giấy chứng sinh");
        Assert.Equal(question, answer.QuoteMessageId);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);
        Assert.Contains("2 – Chưa giải quyết", answer.Text, StringComparison.Ordinal);
        Assert.Equal(TicketState.Answered, (await _d.H.TicketAsync(1)).State);

        await _d.AskAsync(ZaloOaDesk.Citizen, "1");
        await HelpBotHarness.WaitUntilAsync("the ticket is resolved", async () => (await _d.H.TicketAsync(1)).State == TicketState.Resolved);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "1 đến 5 sao");
        Assert.Equal("zalo-oa", (await _d.H.TicketAsync(1)).Channel);
        _d.AssertNoSecretLogged();
    }

    [Fact]
    public async Task A_citizens_display_name_is_looked_up_once_after_their_message_is_stored_and_the_card_takes_it()
    {
        _d.Oa.AddProfile(ZaloOaDesk.OtherCitizen, "Bà Tư");
        await _d.AskAsync(ZaloOaDesk.OtherCitizen, "Cho hỏi làm lại sổ đỏ bị mất ở đâu ạ?");

        // The card goes out at once with the placeholder; the lookup happens after the 200, then the card is edited.
        var card = await _d.H.CardAsync(1);
        Assert.Contains("Người dùng Zalo …4567", card.Text, StringComparison.Ordinal);
        await _d.H.CardEditAsync(card.ResultMessageId!.Value, "Người hỏi: Bà Tư");
        await HelpBotHarness.WaitUntilAsync("the ticket has the name", async () => (await _d.H.TicketAsync(1)).CitizenName == "Bà Tư");
        Assert.Equal("Bà Tư", (await _d.H.EventsAsync(1)).Single(e => e.Kind == "Created").Actor.Name);

        await _d.AskAsync(ZaloOaDesk.OtherCitizen, "Còn làm trích lục khai sinh thì sao ạ?");
        await HelpBotHarness.WaitUntilAsync("the follow-up is stored", async () =>
            await _d.H.ScalarAsync("SELECT count(*) FROM inbox WHERE channel = 'zalo-oa'") == 2);
        Assert.Single(_d.Oa.Requests, r => r.Path == "/v3.0/oa/user/detail");
        _d.AssertNoSecretLogged();
    }

    [Fact]
    public async Task A_question_in_a_GMF_group_is_acknowledged_and_answered_there_by_group_message()
    {
        var msgId = _d.Oa.NewMsgId();
        var body = _d.Oa.UserSendsInGroup(ZaloOaDesk.Group, ZaloOaDesk.OtherCitizen, "text", "Xin hỏi làm căn cước cho con 10 tuổi ở đâu ạ?", msgId);
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(body)).StatusCode);

        var ack = await _d.Oa.WaitForAsync(r => r.IsGroup && r.Succeeded && r.GroupId == ZaloOaDesk.Group && (r.Text?.Contains("#1", StringComparison.Ordinal) ?? false));
        Assert.Null(ack.UserId);
        var ticket = await _d.H.TicketAsync(1);
        Assert.Equal((ZaloOaDesk.Group, ChatKinds.Group, ZaloOaDesk.OtherCitizen), (ticket.ChatId, ticket.ChatKind, ticket.CitizenId));

        var card = await _d.H.CardAsync(1);
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, cháu làm căn cước tại công an xã, mang giấy khai sinh ạ.", replyTo: card.ResultMessageId);
        var answer = await _d.Oa.WaitForAsync(r => r.IsGroup && r.Succeeded && (r.Text?.Contains("công an xã", StringComparison.Ordinal) ?? false));
        Assert.Equal(ZaloOaDesk.Group, answer.GroupId);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);
        Assert.Equal(TicketState.Answered, (await _d.H.TicketAsync(1)).State);
    }

    [Fact]
    public async Task A_citizens_photo_reaches_the_Telegram_staff_chat_by_its_address()
    {
        const string url = "https://f6.photo.talk.zdn.vn/1234/giay-to.jpg";
        var msgId = _d.Oa.NewMsgId();
        await _d.PostAsync(_d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi giấy này có hợp lệ không ạ?", _d.Oa.NewMsgId()));
        await _d.H.CardAsync(1);
        await _d.PostAsync(_d.Oa.UserSends(ZaloOaDesk.Citizen, "image", null, msgId, attachmentUrl: url));
        var photo = await _d.H.Api.WaitForRequestAsync(r => r.Method == "sendPhoto" && r.ChatId == HelpBotHarness.StaffChat);
        Assert.Equal(url, photo.GetString("photo"));
    }

    [Fact]
    public async Task A_5000_character_answer_arrives_as_ordered_parts_under_2000_characters_quoting_the_question()
    {
        var question = await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi các bước đăng ký đất đai lần đầu ạ?");
        var card = await _d.H.CardAsync(1);
        var steps = string.Join("\n", Enumerable.Range(1, 200).Select(i => $"Bước {i:D3}: chuẩn bị giấy tờ và nộp tại một cửa."));
        steps = steps[..5000];
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", steps, replyTo: card.ResultMessageId);

        var first = await _d.SentToUserAsync(ZaloOaDesk.Citizen, "Bước 001");
        var parts = await _d.Oa.WaitForCountAsync(r => r.IsCs && r.Succeeded && r.Sequence >= first.Sequence, 3);
        await HelpBotHarness.WaitUntilAsync("the answer is recorded as sent", async () =>
            await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'sent' AND payload LIKE '%\"LinkRole\":\"answer\"%'") == 1);
        parts = _d.Oa.Sends.Where(r => r.Succeeded && r.Sequence >= first.Sequence).ToList();
        Assert.InRange(parts.Count, 3, 4);
        Assert.All(parts, p => Assert.True(p.Text!.Length <= 2000, $"{p.Text!.Length} characters"));
        Assert.Equal(question, parts[0].QuoteMessageId);
        Assert.All(parts.Skip(1), p => Assert.Null(p.QuoteMessageId));
        var joined = string.Concat(parts.Select(p => p.Text)).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains(steps.Replace("\n", "", StringComparison.Ordinal), joined, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", parts[^1].Text, StringComparison.Ordinal);
        // Every part linked to the ticket, so a quote of any of them is understood.
        Assert.Equal(parts.Count, await _d.H.ScalarAsync("SELECT count(*) FROM message_links WHERE ticket_id = 1 AND role = 'answer' AND channel = 'zalo-oa'"));
    }

    [Fact]
    public async Task When_a_later_part_of_a_long_answer_is_rate_limited_the_retry_sends_only_the_parts_not_yet_delivered()
    {
        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi các bước đăng ký đất đai lần đầu ạ?");
        var card = await _d.H.CardAsync(1);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        var steps = string.Join("\n", Enumerable.Range(1, 200).Select(i => $"Bước {i:D3}: chuẩn bị giấy tờ và nộp tại một cửa."))[..5000];
        // The second part of the answer meets Zalo's rate limit once.
        _d.Oa.FailNextSendWhere(body => body["message"]?["text"]?.ToString() is { } t && t.StartsWith("Bước", StringComparison.Ordinal)
            && !t.Contains("Bước 001", StringComparison.Ordinal), -32, "Your application reached limit call api");
        _d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", steps, replyTo: card.ResultMessageId);

        await _d.Oa.WaitForAsync(r => r.Error == -32);
        await _d.H.AdvancePastRetryAsync();
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "1 – Đã giải quyết");
        await HelpBotHarness.WaitUntilAsync("the answer is recorded as sent", async () =>
            await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'sent' AND payload LIKE '%\"LinkRole\":\"answer\"%'") == 1);
        var delivered = _d.Oa.Sends.Where(r => r.Succeeded && r.UserId == ZaloOaDesk.Citizen && (r.Text?.Contains("Bước", StringComparison.Ordinal) ?? false))
            .Select(r => r.Text).ToList();
        Assert.Single(delivered, t => t!.Contains("Bước 001", StringComparison.Ordinal));
        Assert.Equal(delivered.Distinct().Count(), delivered.Count);
        Assert.Contains(steps.Replace("\n", "", StringComparison.Ordinal), string.Concat(delivered).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Every part linked to the ticket, the ones sent before the retry too.
        Assert.Equal(delivered.Count, await _d.H.ScalarAsync("SELECT count(*) FROM message_links WHERE ticket_id = 1 AND role = 'answer' AND channel = 'zalo-oa'"));
    }
}
