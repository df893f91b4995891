using Dapper;
using HelpBot.Channels.ZaloOa;
using HelpBot.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>
/// OAuth v4 against a fake that enforces single-use refresh tokens: renewal on -216 and ahead of expiry, the stored
/// pair across restarts, and what a failure between Zalo issuing a pair and HelpBot storing it leaves behind.
/// </summary>
public sealed class ZaloOaTokenTests
{
    private static Task<long> StoredRowsAsync(ZaloOaDesk d) => d.H.ScalarAsync("SELECT count(*) FROM zalo_oa_tokens");

    private static async Task<string?> NewestRefreshTokenAsync(ZaloOaDesk d)
    {
        await using var connection = await d.H.Db.Database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT refresh_token FROM zalo_oa_tokens ORDER BY id DESC LIMIT 1");
    }

    private static async Task FailTokenWritesAsync(ZaloOaDesk d, bool fail)
    {
        // A real SQLite failure on the write that would store a new pair (as a full disk or a broken file would give).
        await using var connection = await d.H.Db.Database.OpenAsync();
        await connection.ExecuteAsync(fail
            ? "CREATE TRIGGER test_token_store_fails BEFORE INSERT ON zalo_oa_tokens BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;"
            : "DROP TRIGGER test_token_store_fails");
    }

    /// <summary>
    /// Waits while the clock moves on: a renewal the stopped process had marked as started blocks others until it
    /// lapses (another process could still be in the middle of it).
    /// </summary>
    private static Task WaitWhileTheMarkLapsesAsync(ZaloOaDesk d, string what, Func<bool> done) =>
        HelpBotHarness.WaitUntilAsync(what, () =>
        {
            if (!done())
            {
                d.H.Clock.Advance(TimeSpan.FromSeconds(10));
            }
            return Task.FromResult(done());
        });

    [Fact]
    public async Task An_expired_access_token_is_renewed_on_216_and_the_send_retried_and_after_a_restart_the_stored_pair_is_used()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        var first = Assert.Single(d.Oa.Refreshes);
        Assert.Equal(d.FirstRefreshToken, first.Form["refresh_token"]);
        Assert.Equal((FakeZaloOa.AppId, "refresh_token", FakeZaloOa.AppSecret), (first.Form["app_id"], first.Form["grant_type"], first.SecretKeyHeader));
        var access1 = first.IssuedAccessToken;

        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi xin giấy xác nhận cư trú ở đâu ạ?");
        Assert.Equal(access1, (await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1")).AccessToken);
        var card = await d.H.CardAsync(1);
        await d.Oa.WaitForAsync(r => r.Path == "/v3.0/oa/user/detail"); // the asker's name lookup is behind us

        // The token expires; the team's answer is the next call: refused once, renewed, sent again.
        d.Oa.ExpireAccessToken();
        d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, bác mang căn cước lên Công an xã ạ.", replyTo: card.ResultMessageId);
        var ack = await d.SentToUserAsync(ZaloOaDesk.Citizen, "Công an xã");
        var refreshes = d.Oa.Refreshes.ToList();
        Assert.Equal(2, refreshes.Count);
        Assert.Equal(refreshes[1].IssuedAccessToken, ack.AccessToken);
        // The display-name lookup runs beside the acknowledgement: either or both may meet -216 with the old token,
        // and the token is renewed once.
        var refused = d.Oa.Requests.Where(r => !r.IsRefresh && r.Error == -216).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(access1, r.AccessToken));
        await HelpBotHarness.WaitUntilAsync("the new pair is stored", async () => await NewestRefreshTokenAsync(d) is { } t && t != d.FirstRefreshToken);
        var stored = await NewestRefreshTokenAsync(d);

        // A restart with the same settings (the first, spent refresh token still in them): the database's pair is used.
        await d.RestartAsync(waitForToken: false);
        await d.AskAsync(ZaloOaDesk.OtherCitizen, "Cho hỏi đăng ký kết hôn cần gì ạ?");
        var second = await d.SentToUserAsync(ZaloOaDesk.OtherCitizen, "câu hỏi #2");
        Assert.Equal(refreshes[1].IssuedAccessToken, second.AccessToken);
        Assert.Equal(2, d.Oa.Refreshes.Count());
        Assert.Single(d.Oa.Refreshes, r => r.Form["refresh_token"] == d.FirstRefreshToken);
        Assert.Equal(ZaloOaTokenHealth.Ok, d.Tokens.Status.Health);

        // Ahead of expiry (the token lives 25 hours) the keeper renews with the stored refresh token, unasked.
        d.H.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var third = await d.Oa.WaitForAsync(r => r.IsRefresh && r.Sequence > second.Sequence);
        Assert.Equal(stored, third.Form["refresh_token"]);
        Assert.True(third.Succeeded);
        // The settings' token and three renewals; only the newest two rows still hold tokens.
        await HelpBotHarness.WaitUntilAsync("the renewed pair is stored", async () => await StoredRowsAsync(d) == 4);
        Assert.Equal(2, await d.H.ScalarAsync("SELECT count(*) FROM zalo_oa_tokens WHERE refresh_token IS NOT NULL"));
        d.AssertNoSecretLogged();
    }

    [Fact]
    public async Task Expires_in_as_a_number_is_read_as_well_as_a_string()
    {
        await using var d = await ZaloOaDesk.StartAsync(waitForToken: false);
        await HelpBotHarness.WaitUntilAsync("the first renewal", () => Task.FromResult(d.Tokens.Status.Health == ZaloOaTokenHealth.Ok));
        Assert.Equal(d.H.Clock.GetUtcNow() + TimeSpan.FromHours(25), d.Tokens.ExpiresAt);
        d.Oa.ExpiresInAsNumber = true;
        d.Oa.AccessTokenLifetime = TimeSpan.FromHours(2);
        d.Oa.ExpireAccessToken();
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi làm lại căn cước bị mất ở đâu ạ?");
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(d.H.Clock.GetUtcNow() + TimeSpan.FromHours(2), d.Tokens.ExpiresAt);
    }

    [Fact]
    public async Task A_new_pair_the_database_will_not_store_is_never_used_and_is_stored_before_anything_else_once_it_can_be()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        await FailTokenWritesAsync(d, fail: true);
        d.Oa.ExpireAccessToken();
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi đổi giấy phép lái xe ở đâu ạ?");

        var issued = await d.Oa.WaitForAsync(r => r.IsRefresh && r.Succeeded && r.Sequence > 1);
        await HelpBotHarness.WaitUntilAsync("the acknowledgement waits for a token", async () =>
            await d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND attempts = 0 AND last_error IS NOT NULL AND state = 'pending'") == 1);
        Assert.Equal(ZaloOaTokenHealth.Failing, d.Tokens.Status.Health);
        Assert.DoesNotContain(d.Oa.Sends, r => r.AccessToken == issued.IssuedAccessToken);

        // The database recovers; the next try stores the held pair first and uses it. Zalo is not asked again.
        await FailTokenWritesAsync(d, fail: false);
        await d.H.AdvancePastRetryAsync();
        var ack = await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(issued.IssuedAccessToken, ack.AccessToken);
        Assert.Equal(2, d.Oa.Refreshes.Count());
        Assert.Equal(ZaloOaTokenHealth.Ok, d.Tokens.Status.Health);
        Assert.NotEqual(d.FirstRefreshToken, await NewestRefreshTokenAsync(d));
        d.AssertNoSecretLogged();
    }

    [Fact]
    public async Task A_renewal_that_never_reached_Zalo_before_a_restart_leaves_the_chain_working()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        d.Oa.OAuthDown = true;
        d.Oa.ExpireAccessToken();
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi trợ cấp người cao tuổi nhận ở đâu ạ?");
        await d.Oa.WaitForAsync(r => r.IsRefresh && r.Error == 503);
        await HelpBotHarness.WaitUntilAsync("the renewal is recorded as started", async () =>
            await d.H.ScalarAsync("SELECT count(*) FROM zalo_oa_tokens WHERE refresh_started_at IS NOT NULL AND id = (SELECT max(id) FROM zalo_oa_tokens)") == 1);

        await d.H.StopHostAsync();
        d.Oa.OAuthDown = false;
        await d.StartHostAsync(waitForToken: false);
        await WaitWhileTheMarkLapsesAsync(d, "the OA has an access token", () => d.Tokens.Status.Health == ZaloOaTokenHealth.Ok);
        Assert.Contains(d.H.Logs.Lines, l => l.Contains("may be spent", StringComparison.Ordinal));
        d.H.Clock.Advance(TimeSpan.FromMinutes(1)); // the acknowledgement's next try, if the clock has not passed it yet
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(ZaloOaTokenHealth.Ok, d.Tokens.Status.Health);
    }

    [Fact]
    public async Task A_crash_after_Zalo_issued_a_pair_and_before_it_was_stored_is_reported_precisely_and_a_pasted_token_restores_the_channel()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        await FailTokenWritesAsync(d, fail: true);
        d.Oa.ExpireAccessToken();
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi đăng ký thường trú cho con ạ?");
        await d.Oa.WaitForAsync(r => r.IsRefresh && r.Succeeded && r.Sequence > 1);
        await HelpBotHarness.WaitUntilAsync("the acknowledgement waits for a token", async () =>
            await d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND attempts = 0 AND last_error IS NOT NULL") == 1);

        // The process goes down while the new pair exists only in its memory: Zalo has spent the stored refresh token.
        await d.H.StopHostAsync();
        await FailTokenWritesAsync(d, fail: false);
        await d.StartHostAsync(waitForToken: false);
        await WaitWhileTheMarkLapsesAsync(d, "the broken chain is reported", () => d.Tokens.Status.Health == ZaloOaTokenHealth.Broken);
        var refused = d.Oa.Refreshes.Last();
        Assert.Equal(-14020, refused.Error);
        Assert.Contains("HelpBot:Zalo:OA:RefreshToken", d.Tokens.Status.Description, StringComparison.Ordinal);
        Assert.Contains(d.H.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal)
            && l.Contains("paste the new refresh token into HelpBot:Zalo:OA:RefreshToken", StringComparison.Ordinal));
        using (var health = await d.Http.GetAsync("/healthz"))
        {
            var json = await health.Content.ReadAsStringAsync();
            Assert.Contains("\"zalo-oa\":{\"status\":\"Unhealthy\"", json, StringComparison.Ordinal);
            Assert.Contains("HelpBot:Zalo:OA:RefreshToken", json, StringComparison.Ordinal);
        }
        // The spent token before it is never offered to Zalo again: only the newest one was tried.
        Assert.Single(d.Oa.Refreshes, r => r.Form["refresh_token"] == d.FirstRefreshToken);

        // The admin authorises again and pastes the new refresh token; after a restart the channel works and the
        // waiting acknowledgement goes out.
        d.H.Settings["HelpBot:Zalo:OA:RefreshToken"] = d.Oa.Authorize();
        await d.RestartAsync();
        Assert.Contains(d.H.Logs.Lines, l => l.Contains("has not used before", StringComparison.Ordinal));
        d.H.Clock.Advance(TimeSpan.FromMinutes(11));
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.Equal(ZaloOaTokenHealth.Ok, d.Tokens.Status.Health);
        d.AssertNoSecretLogged();
    }

    [Fact]
    public async Task A_renewal_under_way_when_HelpBot_is_told_to_stop_is_finished_and_its_pair_stored()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        using var stopping = new CancellationTokenSource();
        // Zalo has issued the pair (the stored refresh token is spent) when the stop comes.
        d.Oa.AfterIssuing = () =>
        {
            stopping.Cancel();
            return Task.CompletedTask;
        };
        d.Oa.ExpireAccessToken();

        var token = await d.Tokens.RenewAsync(d.Oa.CurrentAccessToken!, stopping.Token);

        var issued = d.Oa.Refreshes.Last();
        Assert.Equal(issued.IssuedAccessToken, token);
        Assert.Equal(ZaloOaTokenHealth.Ok, d.Tokens.Status.Health);
        Assert.Equal(1, await d.H.ScalarAsync("SELECT count(*) FROM zalo_oa_tokens WHERE refresh_started_at IS NULL AND access_token IS NOT NULL AND id = (SELECT max(id) FROM zalo_oa_tokens)"));
        d.Oa.AfterIssuing = null;

        // After a restart the stored pair is used and renewed with the new refresh token: the chain holds.
        await d.RestartAsync();
        d.Oa.ExpireAccessToken();
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi đăng ký tạm trú cần gì ạ?");
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        Assert.DoesNotContain(d.Oa.Refreshes, r => !r.Succeeded);
    }

    [Fact]
    public async Task A_renewal_fits_in_the_hosts_shutdown_time()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        using var oauth = d.H.Service<IHttpClientFactory>().CreateClient(ZaloOaOAuth.HttpClientName);
        Assert.Equal(ZaloOaOAuth.Timeout, oauth.Timeout);
        Assert.True(d.H.Service<IOptions<HostOptions>>().Value.ShutdownTimeout > ZaloOaOAuth.Timeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Two_processes_on_one_database_never_send_the_same_refresh_token()
    {
        await using var d = await ZaloOaDesk.StartAsync();
        // A second HelpBot process on the same database file.
        var other = new ZaloOaTokens(d.H.Service<Database>(), d.H.Service<ZaloOaOAuth>(), d.H.Service<IOptions<ZaloOaOptions>>(), d.H.Clock,
            d.H.Service<ILogger<ZaloOaTokens>>());
        ZaloOaTokenException? refused = null;
        // While this process's renewal is with Zalo, the other one wants a token too.
        d.Oa.AfterIssuing = async () =>
        {
            d.Oa.AfterIssuing = null;
            refused = await Assert.ThrowsAsync<ZaloOaTokenException>(() => other.GetAsync(CancellationToken.None));
        };
        d.Oa.ExpireAccessToken();

        var token = await d.Tokens.RenewAsync(d.Oa.CurrentAccessToken!, CancellationToken.None);

        Assert.NotNull(refused);
        Assert.False(refused.Broken);
        Assert.NotNull(refused.RetryAfter);
        Assert.DoesNotContain(d.Oa.Refreshes, r => !r.Succeeded);
        Assert.Equal(2, d.Oa.Refreshes.Count());
        // Once the renewal is stored, the other process takes the stored pair instead of renewing again.
        Assert.Equal(token, await other.GetAsync(CancellationToken.None));
        Assert.Equal(2, d.Oa.Refreshes.Count());
        Assert.Equal(ZaloOaTokenHealth.Ok, other.Status.Health);
    }

    [Fact]
    public async Task While_the_chain_is_broken_replies_wait_for_days_without_using_up_attempts_or_telling_the_staff_and_go_out_after_a_pasted_token()
    {
        await using var d = await ZaloOaDesk.StartAsync(s => s["HelpBot:Outbox:MaxAttempts"] = "3");
        await d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi đăng ký kết hôn cần giấy tờ gì ạ?");
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        var card = await d.H.CardAsync(1);
        // The OA withdraws the app's access, and the access token runs out.
        d.Oa.RevokeRefreshTokens();
        d.Oa.ExpireAccessToken();
        d.H.InStaffChat(ZaloOaDesk.Lan, "Lan", "Dạ, anh/chị mang căn cước của hai người đến Trung tâm Phục vụ hành chính công xã ạ.", replyTo: card.ResultMessageId);
        await HelpBotHarness.WaitUntilAsync("the broken chain is reported", () => Task.FromResult(d.Tokens.Status.Health == ZaloOaTokenHealth.Broken));

        // Many more tries than MaxAttempts, then days.
        foreach (var step in Enumerable.Repeat(TimeSpan.FromMinutes(11), 6).Append(TimeSpan.FromDays(3)))
        {
            d.H.Clock.Advance(step);
            var now = d.H.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            await HelpBotHarness.WaitUntilAsync("the answer is tried again", async () =>
                await d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND state = 'pending' AND next_attempt_at > @now", new { now }) == 1);
        }
        Assert.Equal(1, await d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa' AND state = 'pending' AND attempts = 0"));
        Assert.Equal(0, await d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'dead'"));
        Assert.DoesNotContain(await d.H.EventsAsync(1), e => e.Kind is "DeliveryFailed" or "CitizenUnreachable");
        Assert.DoesNotContain(d.H.Api.Sent("sendMessage"), r => r.Text?.Contains("không gửi được", StringComparison.Ordinal) ?? false);

        // The admin grants access again and pastes the new refresh token; after a restart the answer goes out.
        d.H.Settings["HelpBot:Zalo:OA:RefreshToken"] = d.Oa.Authorize();
        await d.RestartAsync();
        d.H.Clock.Advance(TimeSpan.FromMinutes(11));
        await d.SentToUserAsync(ZaloOaDesk.Citizen, "Trung tâm Phục vụ hành chính công xã");
        d.AssertNoSecretLogged();
    }
}
