using System.Globalization;
using System.Text;
using System.Text.Json;
using HelpBot.Tests.Support;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging;

namespace HelpBot.Tests.Channels.Telegram;

public sealed class FaultAndFuzzTests
{
    [Fact]
    public async Task With_five_percent_of_calls_failing_every_ticket_completes()
    {
        const int Questions = 40;
        await using var h = await HelpBotHarness.StartAsync();
        h.Api.FailureRate = 0.05;
        var questions = new Dictionary<long, int>();
        for (var i = 0; i < Questions; i++)
        {
            questions[2000 + i] = h.WritePrivately(2000 + i, $"Công dân {i}", $"Cho hỏi thủ tục số {i} làm thế nào?").MessageId;
        }

        var replied = new HashSet<long>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            foreach (var card in h.Api.Sent("sendMessage").Where(r => r.ChatId == HelpBotHarness.StaffChat).ToList())
            {
                if (card.InlineButtons.FirstOrDefault(b => b.CallbackData?.StartsWith("claim:", StringComparison.Ordinal) == true) is { } claim
                    && replied.Add(long.Parse(claim.CallbackData!["claim:".Length..], CultureInfo.InvariantCulture)))
                {
                    h.InStaffChat(601, "Lan", $"Dạ, trả lời cho {claim.CallbackData} ạ.", replyTo: card.ResultMessageId);
                }
            }
            var answered = questions.Count(q => h.Api.Sent("sendMessage").Any(r => r.ChatId == q.Key && r.ReplyToMessageId == q.Value && r.Text!.Contains("trả lời cho claim:", StringComparison.Ordinal)));
            if (answered == Questions)
            {
                break;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{answered} of {Questions} answers delivered; {await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending'")} sends pending.");
            }
            // Failed sends wait for their back-off on the fake clock: move it on to the next one that waits. Not to the
            // earliest failed row: one already due may itself wait behind its ticket's later retry (an acknowledgement
            // behind the answer), and the clock would then never move again.
            var now = h.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            var next = await h.ScalarAsync(
                "SELECT coalesce(min(next_attempt_at), 0) FROM outbox WHERE state = 'pending' AND attempts > 0 AND next_attempt_at > @now", new { now });
            if (next > 0)
            {
                h.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(next));
            }
            var seen = h.Api.Requests.Count == 0 ? 0 : h.Api.Requests[^1].Sequence;
            await h.Api.WaitForRequestAsync(r => r.Sequence > seen, TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        Assert.True(h.Api.Requests.Count(r => r.StatusCode == 500) > 0, "the fake did fail some calls");
        Assert.Equal(Questions, await h.ScalarAsync("SELECT count(*) FROM tickets WHERE state = 'Answered'"));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
    }

    [Fact]
    public async Task Ten_thousand_generated_and_mutated_updates_crash_nothing_and_leave_no_half_made_ticket()
    {
        const int Updates = 10_000;
        await using var h = await HelpBotHarness.StartAsync();
        var random = new Random(20261129);
        var privateChats = new HashSet<long>();
        for (var i = 0; i < Updates; i++)
        {
            var json = Generate(random, i, out var privateChat);
            if (privateChat is { } chat)
            {
                privateChats.Add(chat);
            }
            h.Api.EnqueueRaw(json);
        }
        await h.Api.WaitForGetUpdatesDrainedAsync(TimeSpan.FromSeconds(120));
        await HelpBotHarness.WaitUntilAsync("the outbox has sent everything due", async () =>
            await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending'") == 0, TimeSpan.FromSeconds(120));

        var errors = h.Logs.Lines.Where(l => l.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal) || l.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5)));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM inbox WHERE outcome = 'failed'"));

        // Every ticket is whole: created, linked to its question, carded, and its citizen's conversation knows it.
        Assert.True(await h.ScalarAsync("SELECT count(*) FROM tickets") > 100);
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'Created')"));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM message_links l WHERE l.ticket_id = t.id AND l.role = 'card')"));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM message_links l WHERE l.ticket_id = t.id AND l.role = 'question')"));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));

        // Where a person was waiting in a private chat, the bot said something.
        var silent = privateChats.Where(chat => !h.Api.Sent("sendMessage").Any(r => r.ChatId == chat)).ToList();
        Assert.True(silent.Count == 0, $"{silent.Count} private chats got no reply, e.g. {string.Join(", ", silent.Take(5))}");
    }

    private static readonly string[] Texts =
    [
        "Cho hỏi làm căn cước ở đâu?", "cho hoi dang ky tam tru", "", " ", "\u200B\u200B", "\u202Eمرحبا\u202C cho hỏi?", "👍👍👍", "😀 làm sao để đăng ký?",
        "Robert'); DROP TABLE tickets;--", "' OR 1=1 --", "<script>alert(1)</script>", "/claim abc", "/close -1", "/ticket 99999999999999999999",
        "/stats 2026-13", "/export 2026-02-30", "/team remove", "/cat 1", "/hoi", "/start@other_bot", "/unknown_command", "#abc trả lời", "#0 x",
        "// ghi chú", "cảm ơn ạ", "ok", "chào cả nhà", new string('a', 5000), "A\u0301\u0302\u0303 ch\u00e0o?", "\u0000\u0001 null byte?",
    ];

    private static string Generate(Random random, int i, out long? privateChat)
    {
        privateChat = null;
        var user = 10_000 + random.Next(300);
        var (chatId, chatType) = random.Next(10) switch
        {
            < 4 => ((long)user, "private"),
            < 7 => (HelpBotHarness.Group, "supergroup"),
            < 9 => (HelpBotHarness.StaffChat, "supergroup"),
            _ => (-100_777L - random.Next(5), "group"),
        };
        var text = Texts[random.Next(Texts.Length)];
        var from = new Dictionary<string, object?> { ["id"] = user, ["is_bot"] = random.Next(50) == 0, ["first_name"] = random.Next(20) == 0 ? "" : $"Người {user}" };
        var chat = new Dictionary<string, object?> { ["id"] = chatId, ["type"] = chatType, ["title"] = chatType == "private" ? null : "Nhóm" };
        var message = new Dictionary<string, object?> { ["message_id"] = 1_000_000 + i, ["date"] = 1796000000, ["chat"] = chat, ["from"] = from, ["text"] = text };
        var kind = random.Next(20);
        Dictionary<string, object?> update;
        switch (kind)
        {
            case 0:
                update = new() { ["callback_query"] = new Dictionary<string, object?> { ["id"] = $"q{i}", ["from"] = from, ["chat_instance"] = "x", ["data"] = random.Next(3) switch { 0 => $"claim:{random.Next(50)}", 1 => $"solved:{random.Next(-5, 50)}", _ => new string('z', random.Next(0, 80)) }, ["message"] = new Dictionary<string, object?> { ["message_id"] = random.Next(1, 5000), ["date"] = 1796000000, ["chat"] = chat } } };
                break;
            case 1:
                update = new() { ["edited_message"] = message };
                break;
            case 2:
                update = new() { ["channel_post"] = new Dictionary<string, object?> { ["message_id"] = i, ["date"] = 1, ["chat"] = new Dictionary<string, object?> { ["id"] = -1009, ["type"] = "channel", ["title"] = "Kênh" }, ["text"] = text } };
                break;
            case 3:
                message.Remove("from");
                update = new() { ["message"] = message };
                break;
            case 4:
                message["text"] = null;
                message["sticker"] = new Dictionary<string, object?> { ["file_id"] = "s", ["file_unique_id"] = "s", ["type"] = "regular", ["width"] = 1, ["height"] = 1, ["is_animated"] = false, ["is_video"] = false };
                update = new() { ["message"] = message };
                break;
            case 5:
                message["text"] = null;
                message["photo"] = new[] { new Dictionary<string, object?> { ["file_id"] = "p", ["file_unique_id"] = "p", ["width"] = 1, ["height"] = 1 } };
                message["caption"] = random.Next(2) == 0 ? null : text;
                update = new() { ["message"] = message };
                break;
            case 6:
                message["reply_to_message"] = new Dictionary<string, object?> { ["message_id"] = random.Next(1, 100_000), ["date"] = 1796000000, ["chat"] = chat };
                update = new() { ["message"] = message };
                break;
            case 7:
                // Mutations: wrong types, missing required fields, nonsense.
                var raw = random.Next(4) switch
                {
                    0 => """{"message":{"message_id":"x","chat":{"id":1}}}""",
                    1 => """{"message":{"message_id":1,"date":1,"chat":{"id":"not-a-number","type":"private"},"text":5}}""",
                    2 => """{"message":null}""",
                    _ => """{"my_chat_member":{"chat":{"id":-5,"type":"group","title":"x"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"left","user":{"id":4242,"is_bot":true,"first_name":"H"}},"new_chat_member":{"status":"member","user":{"id":4242,"is_bot":true,"first_name":"H"}}}}""",
                };
                return raw;
            default:
                update = new() { ["message"] = message };
                break;
        }
        if (kind is not (1 or 2 or 3 or 7) && chatType == "private" && !(bool)from["is_bot"]! && kind != 0)
        {
            privateChat = chatId;
        }
        return JsonSerializer.Serialize(update);
    }
}
