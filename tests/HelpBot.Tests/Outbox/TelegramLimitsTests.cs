using System.Text.RegularExpressions;
using HelpBot.Outbox;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Outbox;

public sealed partial class TelegramLimitsTests
{
    [GeneratedRegex(@"#(\d+)\b")]
    private static partial Regex TicketNumber();

    [Fact]
    public async Task A_thousand_questions_at_once_reach_the_staff_within_two_minutes_without_a_single_429()
    {
        const int Questions = 1000;
        await using var h = await HelpBotHarness.StartAsync(s =>
        {
            // Telegram's own limits, as in production.
            s["HelpBot:Telegram:Limits:GlobalPerSecond"] = "30";
            s["HelpBot:Telegram:Limits:PerChatPerSecond"] = "1";
            s["HelpBot:Telegram:Limits:PerGroupPerMinute"] = "20";
        });
        h.Api.EnforceLimits = true;
        var start = h.Clock.GetUtcNow();
        for (var i = 0; i < Questions; i++)
        {
            h.AskInGroup(50_000 + i, $"Công dân {i}", $"Cho hỏi việc số {i} làm ở đâu?");
        }
        await h.Api.WaitForGetUpdatesDrainedAsync(TimeSpan.FromSeconds(60));

        var shown = new HashSet<long>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (shown.Count < Questions)
        {
            if (DateTime.UtcNow > deadline || h.Clock.GetUtcNow() - start > TimeSpan.FromMinutes(2))
            {
                break;
            }
            // Let the bot send everything its budgets allow now, then move the clock on a second.
            await QuietAsync(h);
            foreach (var m in h.Api.Sent("sendMessage").Where(r => r.ChatId == HelpBotHarness.StaffChat))
            {
                foreach (var b in m.InlineButtons.Where(b => b.CallbackData?.StartsWith("claim:", StringComparison.Ordinal) == true))
                {
                    shown.Add(long.Parse(b.CallbackData!["claim:".Length..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var elapsed = h.Clock.GetUtcNow() - start;
        Assert.True(h.Api.LimitRefusals == 0, $"{h.Api.LimitRefusals} sends refused with 429; {shown.Count} shown after {elapsed}");
        Assert.True(shown.Count == Questions, $"{shown.Count} of {Questions} tickets on the staff's screen after {elapsed}");
        Assert.True(elapsed <= TimeSpan.FromMinutes(2), $"took {elapsed}");
        var staffMessages = h.Api.Sent("sendMessage").Count(r => r.ChatId == HelpBotHarness.StaffChat);
        Assert.True(staffMessages <= 40, $"{staffMessages} staff messages");
        // Acknowledgements in the group were combined too, and named every citizen.
        var acked = h.Api.Sent("sendMessage").Where(r => r.ChatId == HelpBotHarness.Group)
            .SelectMany(r => TicketNumber().Matches(r.Text!).Select(m => m.Groups[1].Value)).Distinct().Count();
        Assert.True(acked > 0);
    }

    [Fact]
    public async Task Claiming_a_ticket_from_a_combined_message_never_overwrites_that_message_with_one_card()
    {
        await using var h = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Telegram:Limits:GlobalPerSecond"] = "30";
            s["HelpBot:Telegram:Limits:PerChatPerSecond"] = "1";
            s["HelpBot:Telegram:Limits:PerGroupPerMinute"] = "2";
        });
        await h.StopHostAsync();
        for (var i = 0; i < 6; i++)
        {
            h.WritePrivately(60_000 + i, $"Công dân {i}", $"Cho hỏi việc số {i} làm ở đâu?");
        }
        await h.StartHostAsync();
        var combined = await h.Api.WaitForRequestAsync(r => r.Method == "sendMessage" && r.ChatId == HelpBotHarness.StaffChat
            && r.InlineButtons.Count(b => b.CallbackData?.StartsWith("claim:", StringComparison.Ordinal) == true) > 1);
        var ticket = combined.InlineButtons.First().CallbackData!["claim:".Length..];
        await HelpBotHarness.WaitUntilAsync("the combined card is linked", async () =>
            await h.ScalarAsync("SELECT count(*) FROM message_links WHERE role = 'card-batch'") > 1);

        var press = h.Api.PressButton(HelpBotHarness.StaffChat, combined.ResultMessageId!.Value, 601, "Lan", $"claim:{ticket}");
        Assert.Contains($"đã nhận phiếu #{ticket}", (await h.CallbackAnswerAsync(press.CallbackQueryId)).Text, StringComparison.Ordinal);
        await HelpBotHarness.WaitUntilAsync("the card edit is settled", async () =>
            await h.ScalarAsync("SELECT count(*) FROM outbox WHERE kind = 'Edit' AND state = 'pending'") == 0);
        Assert.DoesNotContain(h.Api.Requests, r => r.Method == "editMessageText" && r.MessageId == combined.ResultMessageId);
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
    }

    /// <summary>
    /// Waits until every send the bot's budget allowed has reached the fake, and nothing more is coming: only then may
    /// the test move the clock on. (A send allowed at second T that arrives after the clock moved is counted by the
    /// fake in a later second, which no real trip of a few hundred milliseconds would do.)
    /// </summary>
    private static async Task QuietAsync(HelpBotHarness h)
    {
        var budget = h.Service<IEnumerable<IChannelSender>>().Single(s => s.Channel == "telegram").Budget;
        for (var i = 0; i < 50; i++)
        {
            // Bounded, and not an error when it runs out: a send the budget allowed may be settled without a call
            // (an edit superseded by a later one), and then the counts never meet.
            var until = DateTime.UtcNow.AddSeconds(5);
            while (h.Api.LimitedCalls < budget.Granted && DateTime.UtcNow < until)
            {
                await Task.Delay(5);
            }
            var seen = h.Api.Requests.Count == 0 ? 0 : h.Api.Requests[^1].Sequence;
            try
            {
                await h.Api.WaitForRequestAsync(r => r.Sequence > seen && r.Method != "getUpdates", TimeSpan.FromMilliseconds(150));
            }
            catch (TimeoutException)
            {
                if (h.Api.LimitedCalls >= budget.Granted || DateTime.UtcNow >= until)
                {
                    return;
                }
            }
        }
    }

    [Fact]
    public void Budgets_keep_each_chat_and_the_bot_within_their_windows()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        var budget = new SendBudget(new SendLimits(30, 1, 20));
        Assert.True(budget.TryAcquire("501", "private", true, clock.GetUtcNow(), out _));
        Assert.False(budget.TryAcquire("501", "private", true, clock.GetUtcNow(), out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(1100), wait); // a second, and a margin for the send's trip
        for (var i = 0; i < 20; i++)
        {
            Assert.True(budget.TryAcquire("-100", "group", true, clock.GetUtcNow().AddMilliseconds(i * 100), out _));
        }
        Assert.False(budget.TryAcquire("-100", "group", true, clock.GetUtcNow().AddSeconds(3), out wait));
        Assert.Equal(TimeSpan.FromSeconds(58), wait); // a minute and a second after the first
        Assert.Equal(0, budget.Remaining("-100", "group", clock.GetUtcNow().AddSeconds(3)));
        Assert.Equal(20, budget.Remaining("-100", "group", clock.GetUtcNow().AddSeconds(64)));
        // Button acknowledgements are not chat-limited, only bot-limited.
        Assert.True(budget.TryAcquire("-100", "group", false, clock.GetUtcNow().AddSeconds(3), out _));
    }
}
