using HelpBot.Channels.ZaloBot;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>Polling mode (development): getUpdates, one update per call, no offset.</summary>
public sealed class ZaloBotPollingTests : IAsyncLifetime
{
    private const string BaTu = "a0c01dfe32b3dbed82a2";
    private ZaloBotTestHost _z = null!;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync(mode: ZaloBotMode.Polling);

    public async Task DisposeAsync() => await _z.DisposeAsync();

    [Fact]
    public async Task The_webhook_is_removed_before_the_first_poll_and_no_webhook_is_served()
    {
        var delete = _z.Zalo.Calls.First(c => c.Method == "deleteWebhook");
        var poll = _z.Zalo.Calls.First(c => c.Method == "getUpdates");
        Assert.True(delete.Sequence < poll.Sequence);
        Assert.Equal("2", poll.GetString("timeout"));
        Assert.DoesNotContain(_z.Zalo.Calls, c => c.Method == "setWebhook");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, await _z.PostAsync(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi").Bare));
    }

    [Fact]
    public async Task Updates_arrive_one_per_call_and_repeated_deliveries_of_a_message_make_one_ticket()
    {
        var question = _z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đăng ký thường trú cho con dâu thế nào ạ?");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _z.Zalo.Enqueue(question);
        _z.Zalo.Enqueue(question);
        _z.Zalo.Enqueue(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi đăng ký thường trú cho con dâu thế nào ạ?") with { }); // another message, same words
        _z.Zalo.Enqueue(question);

        await HelpBotHarness.WaitUntilAsync("every update was fetched", () => Task.FromResult(_z.Zalo.QueuedUpdates == 0));
        // A replay of a stored update is not followed by another call at once (getUpdates can replay in a loop).
        Assert.True(watch.Elapsed >= HelpBot.Channels.ZaloBot.ZaloBotPoller.MinIdleInterval, $"4 updates with 2 replays fetched in {watch.Elapsed}");
        await _z.Zalo.MessageToAsync(ZaloBotTestHost.StaffGroup, "Phiếu #1 ");
        await HelpBotHarness.WaitUntilAsync("both messages are in the inbox", async () => await _z.InboxRowsAsync() == 2);
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM inbox WHERE event_id = @id", new { id = $"message.text.received:{question.MessageId}" }));
        Assert.True(_z.Zalo.Calls.Count(c => c.Method == "getUpdates" && c.Ok) >= 4);
    }

    [Fact]
    public async Task A_408_request_timeout_means_nothing_new_and_polling_goes_on_at_once()
    {
        var timedOut = await _z.Zalo.WaitForAsync(c => c.Method == "getUpdates" && c.ErrorCode == 408, TimeSpan.FromSeconds(15));
        await _z.Zalo.WaitForAsync(c => c.Method == "getUpdates" && c.Sequence > timedOut.Sequence);
        _z.Zalo.Enqueue(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi làm lại giấy khai sinh bị mất ạ?"));
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        Assert.DoesNotContain(_z.H.Logs.Lines, l => l.Contains("polling failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errors_back_off_on_the_clock_and_a_webhook_set_elsewhere_is_named_in_the_log()
    {
        _z.Zalo.SetWebhookDirectly("https://other.example.vn/webhooks/zalo-bot");
        await HelpBotHarness.WaitUntilAsync("the webhook conflict is logged", () => Task.FromResult(_z.H.Logs.Lines.Any(l =>
            l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("a webhook is set for this bot", StringComparison.Ordinal))), TimeSpan.FromSeconds(15));
        var refused = _z.Zalo.Calls.Count(c => c.Method == "getUpdates" && c.ErrorCode == 400);
        Assert.Equal(1, refused); // waiting on the clock, not hammering Zalo

        _z.Zalo.SetWebhookDirectly(null);
        _z.Zalo.ThrottleNext("getUpdates");
        _z.Zalo.Enqueue(_z.WritePrivately(BaTu, "Bà Tư", "Cho hỏi xin giấy xác nhận độc thân ở đâu ạ?"));
        _z.H.Clock.Advance(TimeSpan.FromSeconds(2));
        await _z.Zalo.WaitForAsync(c => c.Method == "getUpdates" && c.HttpStatus == 429);
        await HelpBotHarness.WaitUntilAsync("the 429 is logged", () => Task.FromResult(_z.H.Logs.Lines.Any(l => l.Contains("polling failed", StringComparison.Ordinal))));
        _z.H.Clock.Advance(TimeSpan.FromSeconds(4));
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
    }
}
