using System.Globalization;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>
/// The one moment no ordering can protect: Zalo has issued a new pair (spending the stored single-use refresh token)
/// and HelpBot dies before committing it. HelpBot runs as a child process and the fake OAuth server kills it with
/// SIGKILL right after issuing the pair, before answering. What must follow: the next start finds the renewal it had
/// recorded as started, Zalo refuses the spent token, and HelpBot says precisely that an admin must paste a new
/// refresh token; once pasted, the channel works again.
/// </summary>
public sealed class ZaloOaCrashTests
{
    [Fact]
    public async Task Killed_between_Zalo_issuing_a_pair_and_storing_it_HelpBot_reports_the_broken_chain_and_a_pasted_token_repairs_it()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        await using var oa = await FakeZaloOa.StartAsync();
        using var db = new TempDatabase();
        var first = oa.Authorize();
        await using var bot = new HelpBotProcess(Arguments(telegram, oa, db, first), db.Folder);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        oa.AfterIssuing = async () =>
        {
            if (!killed.Task.IsCompleted)
            {
                await bot.KillAsync();
                killed.SetResult();
            }
        };

        bot.Start();
        var issued = await oa.WaitForAsync(r => r.IsRefresh && r.Succeeded, TimeSpan.FromSeconds(30));
        Assert.Equal(first, issued.Form["refresh_token"]);
        await killed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The renewal was recorded as started before the call...
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM zalo_oa_tokens WHERE refresh_started_at IS NOT NULL"));
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM zalo_oa_tokens")); // ...and its answer never stored

        // Restarted on the same database: the spent token is refused, and the log says what to do.
        bot.Start();
        var refused = await oa.WaitForAsync(r => r.IsRefresh && r.Error == -14020, TimeSpan.FromSeconds(30));
        Assert.Equal(first, refused.Form["refresh_token"]);
        await HelpBotHarness.WaitUntilAsync("the critical line", () => Task.FromResult(
            bot.Tail(400).Contains("paste the new refresh token into HelpBot:Zalo:OA:RefreshToken", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        Assert.Contains("may be spent", bot.Tail(400), StringComparison.Ordinal);
        await bot.KillAsync();

        // The admin pastes a new refresh token: a new chain, stored before use.
        var pasted = oa.Authorize();
        await using var repaired = new HelpBotProcess(Arguments(telegram, oa, db, pasted), db.Folder);
        repaired.Start();
        var renewed = await oa.WaitForAsync(r => r.IsRefresh && r.Succeeded && r.Form["refresh_token"] == pasted, TimeSpan.FromSeconds(30));
        await HelpBotHarness.WaitUntilAsync("the new pair is stored", async () =>
            await ScalarAsync(db, "SELECT count(*) FROM zalo_oa_tokens WHERE access_token IS NOT NULL AND source = 'refresh'") == 1, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(oa.Secrets, s => repaired.Tail(400).Contains(s, StringComparison.Ordinal) || bot.Tail(400).Contains(s, StringComparison.Ordinal));
        Assert.NotNull(renewed.IssuedAccessToken);
    }

    private static List<string> Arguments(FakeBotApi telegram, FakeZaloOa oa, TempDatabase db, string refreshToken) =>
    [
        $"--HelpBot:Telegram:BotToken={telegram.Token}",
        $"--HelpBot:Telegram:ApiBaseUrl={telegram.BaseUrl}",
        FormattableString.Invariant($"--HelpBot:Telegram:StaffChatId={HelpBotHarness.StaffChat}"),
        "--HelpBot:Telegram:PollTimeoutSeconds=1",
        $"--HelpBot:Zalo:OA:AppId={FakeZaloOa.AppId}",
        $"--HelpBot:Zalo:OA:SecretKey={FakeZaloOa.SecretKey}",
        $"--HelpBot:Zalo:OA:AppSecret={FakeZaloOa.AppSecret}",
        $"--HelpBot:Zalo:OA:ApiBaseUrl={oa.BaseUrl}",
        $"--HelpBot:Zalo:OA:OAuthBaseUrl={oa.BaseUrl}",
        $"--HelpBot:Zalo:OA:RefreshToken={refreshToken}",
        "--HelpBot:Http:Urls=http://127.0.0.1:0",
        $"--ConnectionStrings:HelpBot={db.ConnectionString}",
    ];

    private static async Task<long> ScalarAsync(TempDatabase db, string sql)
    {
        await using var connection = await db.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
