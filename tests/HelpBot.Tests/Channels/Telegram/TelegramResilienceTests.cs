using HelpBot.Inbox;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.Telegram;

/// <summary>Restarts, redeliveries, platform errors and odd updates: nothing lost, nothing twice.</summary>
public sealed class TelegramResilienceTests : IAsyncLifetime
{
    private const long BaTu = 501;
    private const long OngNam = 502;
    private const long Lan = 601;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_restart_mid_flow_resumes_and_updates_sent_while_down_are_processed_once()
    {
        _h.AskInGroup(BaTu, "Bà Tư", "Cho hỏi xin giấy xác nhận cư trú ở đâu ạ?");
        var card = await _h.CardAsync(1);
        await _h.SettleAsync();
        await _h.StopHostAsync();

        // While HelpBot is down: the team answers, another citizen asks.
        _h.InStaffChat(Lan, "Lan", "Dạ, bác làm trên VNeID, mục Dịch vụ khác ạ.", replyTo: card.ResultMessageId);
        _h.WritePrivately(OngNam, "Ông Năm", "Làm sao để đổi giấy phép lái xe?");

        await _h.StartHostAsync();
        var answer = await _h.SentToAsync(HelpBotHarness.Group, "mục Dịch vụ khác");
        Assert.Contains(answer.InlineButtons, b => b.CallbackData == "solved:1");
        await _h.CardAsync(2);
        await _h.SettleAsync();

        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(TicketState.Answered, (await _h.TicketAsync(1)).State);
        Assert.Single(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group && r.Text!.Contains("đã ghi nhận câu hỏi #1"));
    }

    [Fact]
    public async Task Questions_that_piled_up_before_the_first_start_are_all_answered_in_order()
    {
        await _h.StopHostAsync();
        for (var i = 0; i < 25; i++)
        {
            _h.WritePrivately(1000 + i, $"Công dân {i}", $"Cho hỏi thủ tục số {i} làm thế nào?");
        }
        await _h.StartHostAsync();
        await _h.Api.WaitForCountAsync(r => r.Method == "sendMessage" && r.ChatId == HelpBotHarness.StaffChat && r.Text!.Contains("Phiếu #"), 25);
        await _h.SettleAsync();
        Assert.Equal(25, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(25, await _h.ScalarAsync("SELECT count(DISTINCT citizen_id) FROM tickets"));
        Assert.Equal(1000, await _h.ScalarAsync("SELECT CAST(citizen_id AS INTEGER) FROM tickets WHERE id = 1"));
    }

    [Fact]
    public async Task A_redelivered_batch_is_dropped_by_the_inbox()
    {
        var e = new InboundEvent
        {
            Channel = "telegram", EventId = "4242:77", Kind = InboundKind.Text, ChatId = "505", ChatKind = ChatKinds.Private,
            From = new InboundUser("505", "Chị Hoa"), MessageId = "9001", Text = "Cho hỏi cấp mã số BHXH ở đâu?",
        };
        var inbox = _h.Service<InboxProcessor>();
        await inbox.ProcessAsync([e]);
        await inbox.ProcessAsync([e]);
        await inbox.ProcessAsync([e with { }]);
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM inbox WHERE event_id = '4242:77'"));
        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM outbox")); // one acknowledgement, one card
    }

    [Fact]
    public async Task Too_many_requests_waits_the_time_telegram_asks_then_sends()
    {
        _h.Api.FailNext("sendMessage", 429, "Too Many Requests: retry after 7", retryAfter: 7, count: 2);
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đăng ký khai tử cần gì?");
        await _h.Api.WaitForCountAsync(r => r.Method == "sendMessage" && r.StatusCode == 429, 2);
        await HelpBotHarness.WaitUntilAsync("both sends are scheduled for later", async () =>
            await _h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending' AND attempts = 1") == 2);
        Assert.Empty(_h.Api.Sent("sendMessage"));

        _h.Clock.Advance(TimeSpan.FromSeconds(7));
        await _h.CardAsync(1);
        await _h.SentToAsync(BaTu, "câu hỏi #1");
    }

    [Fact]
    public async Task Server_errors_are_retried_with_back_off_until_they_succeed()
    {
        _h.Api.FailNext("sendMessage", 502, "Bad Gateway", count: 3);
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi hộ kinh doanh đăng ký ở đâu?");
        await _h.Api.WaitForCountAsync(r => r.Method == "sendMessage" && r.StatusCode == 502, 2);
        for (var i = 0; i < 4 && _h.Api.Sent("sendMessage").Count() < 2; i++)
        {
            await HelpBotHarness.WaitUntilAsync("a retry is scheduled", async () =>
                await _h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at > @now",
                    new { now = _h.Clock.GetUtcNow().ToUnixTimeMilliseconds() }) > 0
                || _h.Api.Sent("sendMessage").Count() >= 2);
            _h.Clock.Advance(TimeSpan.FromSeconds(16));
        }
        await _h.CardAsync(1);
        await _h.SentToAsync(BaTu, "câu hỏi #1");
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
    }

    [Fact]
    public async Task An_answer_that_can_never_be_delivered_is_parked_noted_on_the_ticket_and_told_to_the_staff()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi sổ hộ nghèo làm thế nào?");
        var card = await _h.CardAsync(1);
        await _h.SettleAsync();
        _h.Api.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user");
        _h.InStaffChat(Lan, "Lan", "Dạ, bác liên hệ trưởng thôn ạ.", replyTo: card.ResultMessageId);

        var told = await _h.SentToAsync(HelpBotHarness.StaffChat, "không gửi được tin nhắn tới người hỏi");
        Assert.Equal(card.ResultMessageId, told.ReplyToMessageId);
        Assert.Contains("blocked", told.Text, StringComparison.Ordinal);
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
        Assert.Contains(await _h.EventsAsync(1), e => e.Kind == "DeliveryFailed");
    }

    [Fact]
    public async Task A_long_answer_arrives_whole_in_ordered_parts_with_the_buttons_on_the_last()
    {
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi các bước đăng ký đất đai lần đầu?");
        var card = await _h.CardAsync(1);
        var steps = string.Join("\n", Enumerable.Range(1, 120).Select(i => $"Bước {i}: chuẩn bị giấy tờ số {i} và nộp tại bộ phận một cửa."));
        _h.InStaffChat(Lan, "Lan", steps, replyTo: card.ResultMessageId);

        var parts = await _h.Api.WaitForCountAsync(r => r.Method == "sendMessage" && r.ChatId == BaTu && r.Text!.Contains("Bước "), 2);
        await _h.SettleAsync();
        parts = _h.Api.Sent("sendMessage").Where(r => r.ChatId == BaTu && r.Text!.Contains("Bước ")).ToList();
        Assert.All(parts, p => Assert.True(p.Text!.Length <= 4096));
        var whole = string.Join("\n", parts.Select(p => p.Text));
        Assert.Contains("Bước 1:", whole, StringComparison.Ordinal);
        Assert.Contains("Bước 120:", whole, StringComparison.Ordinal);
        Assert.True(whole.IndexOf("Bước 60:", StringComparison.Ordinal) < whole.IndexOf("Bước 61:", StringComparison.Ordinal));
        Assert.Empty(parts[0].InlineButtons);
        Assert.NotEmpty(parts[^1].InlineButtons);
        Assert.Equal(parts[0].ReplyToMessageId, (int)long.Parse((await _h.TicketAsync(1)).MessageId, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Malformed_and_unexpected_updates_are_skipped_without_stopping_the_bot()
    {
        _h.Api.EnqueueRaw("""{"message":{"message_id":"not-a-number","chat":{"id":5}}}""");
        _h.Api.EnqueueRaw("""{"edited_message":{"message_id":3,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"B"},"text":"sửa"}}""");
        _h.Api.EnqueueRaw("""{"my_chat_member":{"chat":{"id":-5,"type":"group","title":"x"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"left","user":{"id":4242,"is_bot":true,"first_name":"H"}},"new_chat_member":{"status":"member","user":{"id":4242,"is_bot":true,"first_name":"H"}}}}""");
        _h.Api.EnqueueRaw("""{"message":{"message_id":44,"date":1,"chat":{"id":777,"type":"private"},"text":"no sender"}}""");
        _h.Api.EnqueueRaw("""{"channel_post":{"message_id":45,"date":1,"chat":{"id":-100777,"type":"channel","title":"Kênh"},"text":"tin"}}""");
        _h.WritePrivately(BaTu, "Bà Tư", "Cho hỏi VNeID mức 2 làm ở đâu?");
        await _h.CardAsync(1);
        await _h.SettleAsync();
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task Huge_empty_and_hostile_texts_are_handled_like_any_other_message()
    {
        var huge = "Cho hỏi " + new string('a', 4000) + "?";
        _h.WritePrivately(BaTu, "Bà Tư", huge);
        var card = await _h.CardAsync(1);
        Assert.True(card.Text!.Length <= 4096);
        _h.WritePrivately(OngNam, "Ông Năm", "Robert'); DROP TABLE tickets;-- <script>alert(1)</script> làm sao?");
        var second = await _h.CardAsync(2);
        Assert.Contains("DROP TABLE tickets", second.Text, StringComparison.Ordinal);
        _h.WritePrivately(503, "Cô Ba", "   ");
        await _h.SentToAsync(503, "chưa có nội dung");
        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }
}
