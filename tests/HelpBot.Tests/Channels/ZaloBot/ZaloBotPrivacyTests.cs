using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>The bot token is in every request address: it must never reach a log line.</summary>
public sealed class ZaloBotPrivacyTests
{
    [Fact]
    public async Task The_token_never_appears_in_any_log_line_through_failures_retries_and_refusals()
    {
        await using var z = await ZaloBotTestHost.StartAsync();
        var token = z.Zalo.Token;
        z.Zalo.FailNext("sendMessage", 500, "Internal server error");
        z.Zalo.ThrottleNext("sendMessage");
        z.Zalo.FailNext("sendMessage", 401, "Unauthorized", 401);

        await z.DeliverAsync(z.WritePrivately("a0c01dfe32b3dbed82a2", "Bà Tư", "Cho hỏi làm căn cước ở đâu ạ?"));
        await z.Zalo.WaitForAsync(c => c.ErrorCode == 500);
        await z.H.AdvancePastRetryAsync();
        await z.Zalo.WaitForAsync(c => c.HttpStatus == 429);
        await z.H.AdvancePastRetryAsync();
        await z.Zalo.WaitForAsync(c => c.ErrorCode == 401);
        await HelpBotHarness.WaitUntilAsync("the refused send is logged", () => Task.FromResult(z.H.Logs.Lines.Any(l => l.Contains("401", StringComparison.Ordinal))));
        await z.PostAsync("{broken", ZaloBotTestHost.Secret);
        await z.PostAsync("{}", "wrong-secret");
        await z.H.StopHostAsync();

        Assert.NotEmpty(z.H.Logs.Lines);
        Assert.DoesNotContain(z.H.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(token.Split(':')[1], StringComparison.Ordinal));
        Assert.DoesNotContain(z.H.Logs.Lines, l => l.Contains(ZaloBotTestHost.Secret, StringComparison.Ordinal));
    }
}
