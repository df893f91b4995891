using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>The whole flow with citizens and the response team both on Zalo Bot: no replies, no buttons, numbers instead.</summary>
public sealed class ZaloBotFlowTests : IAsyncLifetime
{
    private const string BaTu = "a0c01dfe32b3dbed82a2";   // a citizen
    private const string Lan = "6ede9afa66b88fe6d6a9";    // a team member
    private ZaloBotTestHost _z = null!;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync();

    public async Task DisposeAsync() => await _z.DisposeAsync();

    [Fact]
    public async Task Private_question_is_acknowledged_carded_in_the_zalo_staff_group_claimed_answered_by_number_and_resolved_by_1()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ?"));

        var ack = await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        Assert.StartsWith("Dạ,", ack.Text, StringComparison.Ordinal);
        var card = await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        Assert.Contains("Zalo", card.Text, StringComparison.Ordinal);
        Assert.Contains("Bà Tư", card.Text, StringComparison.Ordinal);
        Assert.Contains("/claim 1", card.Text, StringComparison.Ordinal);
        Assert.Contains("#1 rồi nội dung", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nhận xử lý", card.Text, StringComparison.Ordinal); // the claim button is dropped in the staff chat

        _z.H.Clock.Advance(TimeSpan.FromMinutes(4));
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "/claim 1"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "đã nhận phiếu #1");
        Assert.Equal(TicketState.Claimed, (await _z.H.TicketAsync(1)).State);

        _z.H.Clock.Advance(TimeSpan.FromMinutes(6));
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "#1 Dạ, bác đưa cháu ra Công an xã, mang theo giấy khai sinh ạ."));
        var answer = await _z.Zalo.MessageToAsync(BaTu, "Công an xã");
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1 của anh/chị:", answer.Text, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);
        Assert.Contains("2 – Chưa giải quyết", answer.Text, StringComparison.Ordinal);

        _z.H.Clock.Advance(TimeSpan.FromMinutes(2));
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "1"));
        await HelpBotHarness.WaitUntilAsync("the ticket is resolved", async () => (await _z.H.TicketAsync(1)).State == TicketState.Resolved);

        var ticket = await _z.H.TicketAsync(1);
        Assert.Equal("zalo-bot", ticket.Channel);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(4), ticket.ClaimedAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(10), ticket.FirstResponseAt);
        Assert.Equal(HelpBotHarness.Start.AddMinutes(12), ticket.ResolvedAt);
        Assert.Equal($"zalo-bot:{Lan}", ticket.AssigneeId);
        Assert.Equal(["Created", "Claimed", "Answered", "CitizenSolved", "Resolved"], (await _z.H.EventsAsync(1)).Select(e => e.Kind));
        // Nothing was ever sent with a reply, an edit or a button: Zalo has none of them.
        Assert.All(_z.Zalo.Calls, c => Assert.Contains(c.Method, new[] { "getMe", "setWebhook", "sendMessage", "sendPhoto", "sendChatAction" }));
        Assert.All(_z.Zalo.Sent("sendMessage"), c => Assert.Equal(["chat_id", "text"], c.Body.Select(p => p.Key)));
    }

    [Fact]
    public async Task Export_in_a_zalo_staff_group_says_where_it_can_be_had_instead_of_failing_silently()
    {
        await _z.DeliverAsync(_z.InStaffGroup("admin-0001", "Chủ tịch", "/export"));

        var reply = await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "không gửi được tệp trên Zalo");
        Assert.Contains("HelpBot export", reply.Text, StringComparison.Ordinal);
        // No file was queued to fail later: the command answered in words.
        Assert.Equal(0, await _z.H.ScalarAsync("SELECT count(*) FROM outbox WHERE payload LIKE '%\"Document\"%'"));
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM outbox WHERE payload LIKE '%HelpBot export%'"));
    }

    [Fact]
    public async Task Group_question_with_an_at_mention_is_answered_in_the_group_naming_the_citizen_and_resolved_by_1()
    {
        const string question = "Cho hỏi đăng ký khai sinh cho cháu nội cần giấy tờ gì ạ?";
        await _z.DeliverAsync(_z.AskInGroup(BaTu, "Bà Tư", $"@{FakeZaloBotApi.BotName} {question}"));

        await _z.Zalo.MessageToAsync(ZaloBotTestHost.SupportGroup, "câu hỏi #1");
        var card = await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        Assert.Contains("Zalo, nhóm hỗ trợ", card.Text, StringComparison.Ordinal);
        Assert.Contains(question, card.Text, StringComparison.Ordinal);
        // The team's group hears only mentions too: the card says to start with one.
        Assert.Contains($"Gõ @{FakeZaloBotApi.BotName} /claim 1 để nhận phiếu; gõ @{FakeZaloBotApi.BotName} #1 rồi nội dung", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain($"@{FakeZaloBotApi.BotName} {question}", card.Text, StringComparison.Ordinal);

        // In a Zalo group the bot only hears messages that mention it: the team's commands start with the mention too.
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", $"@{FakeZaloBotApi.BotName} /claim 1"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "đã nhận phiếu #1");
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", $"@{FakeZaloBotApi.BotName} #1 Dạ, bác mang giấy chứng sinh và căn cước của bố mẹ cháu ạ."));

        // No reply threading on Zalo: the answer names the citizen and quotes the start of the question.
        var answer = await _z.Zalo.MessageToAsync(ZaloBotTestHost.SupportGroup, "giấy chứng sinh");
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1 của Bà Tư («Cho hỏi đăng ký khai sinh", answer.Text, StringComparison.Ordinal);
        Assert.Contains($"Anh/chị nhắn @{FakeZaloBotApi.BotName} kèm một số để chọn ạ (ví dụ: @{FakeZaloBotApi.BotName} 1):", answer.Text, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", answer.Text, StringComparison.Ordinal);

        await _z.DeliverAsync(_z.AskInGroup(BaTu, "Bà Tư", $"@{FakeZaloBotApi.BotName} 1"));
        await HelpBotHarness.WaitUntilAsync("the ticket is resolved", async () => (await _z.H.TicketAsync(1)).State == TicketState.Resolved);
        var ticket = await _z.H.TicketAsync(1);
        Assert.Equal(ChatKinds.Group, ticket.ChatKind);
        Assert.Equal(ZaloBotTestHost.SupportGroup, ticket.ChatId);
        Assert.Equal(["Created", "Claimed", "Answered", "CitizenSolved", "Resolved"], (await _z.H.EventsAsync(1)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Two_citizens_answered_in_one_group_each_resolve_their_own_question_with_1()
    {
        var bot = "@" + FakeZaloBotApi.BotName;
        await _z.DeliverAsync(_z.AskInGroup(BaTu, "Bà Tư", $"{bot} Cho hỏi làm căn cước cho cháu ở đâu ạ?"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        await _z.DeliverAsync(_z.AskInGroup("ong-ba", "Ông Ba", $"{bot} Xin hỏi đăng ký tạm trú cần gì ạ?"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #2 ");
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", $"{bot} #1 Dạ, bác ra Công an xã ạ."));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.SupportGroup, "Công an xã");
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", $"{bot} #2 Dạ, bác mang căn cước và giấy tờ nhà ạ."));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.SupportGroup, "giấy tờ nhà");

        // Ông Ba answers first: his own question is resolved, Bà Tư's offer is still hers.
        await _z.DeliverAsync(_z.AskInGroup("ong-ba", "Ông Ba", $"{bot} 1"));
        await HelpBotHarness.WaitUntilAsync("#2 is resolved", async () => (await _z.H.TicketAsync(2)).State == TicketState.Resolved);
        Assert.Equal(TicketState.Answered, (await _z.H.TicketAsync(1)).State);
        await _z.DeliverAsync(_z.AskInGroup(BaTu, "Bà Tư", $"{bot} 1"));
        await HelpBotHarness.WaitUntilAsync("#1 is resolved", async () => (await _z.H.TicketAsync(1)).State == TicketState.Resolved);
    }

    [Fact]
    public async Task A_5000_character_answer_arrives_as_ordered_parts_of_at_most_2000_characters_after_typing()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Xin hướng dẫn đầy đủ thủ tục tách thửa đất ạ?"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        await _z.H.SettleAsync();
        var answer = LongAnswer(5000);
        var before = _z.Zalo.Calls.Count;
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "#1 " + answer));

        var last = await _z.Zalo.MessageToAsync(BaTu, "2 – Chưa giải quyết");
        var parts = _z.Zalo.Calls.Skip(before).Where(c => c.Ok && c.Method == "sendMessage" && c.ChatId == BaTu && c.Sequence <= last.Sequence).ToList();
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(p.Text!.Length, 1, 2000));
        Assert.StartsWith("Dạ, tổ hỗ trợ trả lời câu hỏi #1", parts[0].Text, StringComparison.Ordinal);
        Assert.Contains("Điều 1.", parts[0].Text, StringComparison.Ordinal);
        Assert.Contains("2 – Chưa giải quyết", parts[^1].Text, StringComparison.Ordinal);
        // In order, and nothing lost but the whitespace at the cuts.
        var expected = $"Dạ, tổ hỗ trợ trả lời câu hỏi #1 của anh/chị:{answer}Câu trả lời đã giúp được anh/chị chưa ạ?";
        Assert.StartsWith(Squeeze(expected), Squeeze(string.Concat(parts.Select(p => p.Text))), StringComparison.Ordinal);
        var typing = _z.Zalo.Calls.Single(c => c.Method == "sendChatAction" && c.Sequence > before);
        Assert.Equal("typing", typing.GetString("action"));
        Assert.True(typing.Sequence < parts[0].Sequence);
        // Only a long text is worth a typing notice.
        Assert.Single(_z.Zalo.Calls, c => c.Method == "sendChatAction");
    }

    [Fact]
    public async Task When_a_later_part_of_a_long_answer_fails_the_retry_sends_only_the_parts_not_yet_delivered()
    {
        await _z.DeliverAsync(_z.WritePrivately(BaTu, "Bà Tư", "Xin hướng dẫn đầy đủ thủ tục tách thửa đất ạ?"));
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        await _z.H.SettleAsync();
        _z.Zalo.FailNextMatching("sendMessage", body => body["text"]?.ToString().Contains("Điều 20.", StringComparison.Ordinal) == true, 500, "Internal server error");
        var before = _z.Zalo.Calls.Count;
        await _z.DeliverAsync(_z.InStaffGroup(Lan, "Lan", "#1 " + LongAnswer(5000)));

        await _z.Zalo.WaitForAsync(c => c.Sequence > before && c.ErrorCode == 500);
        await _z.H.AdvancePastRetryAsync();
        await _z.Zalo.MessageToAsync(BaTu, "2 – Chưa giải quyết");
        var delivered = _z.Zalo.Calls.Skip(before).Where(c => c.Ok && c.Method == "sendMessage" && c.ChatId == BaTu).Select(c => c.Text).ToList();
        Assert.Equal(delivered.Distinct().Count(), delivered.Count);
        Assert.Single(delivered, t => t!.StartsWith("Dạ, tổ hỗ trợ trả lời", StringComparison.Ordinal));
    }

    /// <summary>Numbered paragraphs of sentences, so the order of the parts is visible.</summary>
    internal static string LongAnswer(int length)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 1; sb.Length < length; i++)
        {
            sb.Append("Điều ").Append(i).Append(". Bác chuẩn bị đơn đề nghị tách thửa, giấy chứng nhận quyền sử dụng đất bản gốc và căn cước. ");
            sb.Append("Hồ sơ nộp tại Trung tâm Phục vụ hành chính công xã, cán bộ sẽ hẹn ngày trả kết quả ạ.");
            sb.Append(i % 3 == 0 ? "\n\n" : "\n");
        }
        return sb.ToString(0, length).TrimEnd();
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
