using System.Diagnostics;
using System.Text.Json;
using Dapper;
using HelpBot.Hosting;
using HelpBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace HelpBot.Tests.Hosting;

public sealed class OperationsTests
{
    [Fact]
    public void The_start_up_line_names_the_build_the_gc_and_the_gen0_budget_the_gc_reports()
    {
        // The native build's 6 MiB budget is checked by the benchmarks' `native` verb, which reads this line in HelpBot's
        // log; here, that the runtime still reports the budget at all (a renamed setting would print "unknown").
        Assert.Matches(
            @"^\.NET \d+\.\d+\.\d+, JIT, (workstation|server) GC, gen-0 budget up to \d+(\.\d)? MiB$",
            HelpBotHost.RuntimeSummary());
    }

    [Fact]
    public async Task Backup_copies_a_running_database_consistently()
    {
        await using var h = await HelpBotHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.WritePrivately(700 + i, $"Công dân {i}", $"Cho hỏi thủ tục số {i} làm ở đâu?");
        }
        await h.Api.WaitForCountAsync(r => r.Method == "sendMessage" && r.ChatId == HelpBotHarness.StaffChat, 5);
        var path = Path.Combine(h.Db.Folder, "copy.db");
        var output = new StringWriter();

        Assert.Equal(0, await BackupVerb.RunAsync([path, $"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], output));
        Assert.Contains("Backed up 5 tickets", output.ToString(), StringComparison.Ordinal);
        await using (var copy = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await copy.OpenAsync();
            Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal(5, await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM tickets"));
        }
        Assert.Equal(2, await BackupVerb.RunAsync([path, $"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], output));
        Assert.Equal(0, await BackupVerb.RunAsync([path, "--force", $"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], output));

        // The bot kept working during and after the copy.
        h.WritePrivately(800, "Bà Tám", "Cho hỏi thêm một câu?");
        await h.CardAsync(6);
    }

    [Fact]
    public async Task Healthz_reports_the_database_and_the_channel()
    {
        await using var h = await HelpBotHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(h.App!.Urls.First()) };
        using var health = JsonDocument.Parse(await http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        var checks = health.RootElement.GetProperty("checks");
        Assert.StartsWith("outbox:", checks.GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("@helpbot_test_bot, Polling", checks.GetProperty("telegram").GetProperty("description").GetString(), StringComparison.Ordinal);

        h.Clock.Advance(TimeSpan.FromMinutes(10)); // Telegram has not been heard from since, on this clock
        using var stale = JsonDocument.Parse(await http.GetStringAsync("/healthz"));
        Assert.Equal("Degraded", stale.RootElement.GetProperty("checks").GetProperty("telegram").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stopping_drains_within_the_bound_and_loses_nothing()
    {
        await using var h = await HelpBotHarness.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            h.WritePrivately(900 + i, $"Công dân {i}", $"Cho hỏi việc số {i} thế nào?");
        }
        await h.Api.WaitForRequestAsync(r => r.Method == "sendMessage");
        var clock = Stopwatch.StartNew();
        await h.StopHostAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {clock.Elapsed}");
        await h.StartHostAsync();
        await h.SettleAsync();
        Assert.Equal(20, await h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(0, await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state <> 'sent'"));
        Assert.Equal(20, h.Api.Sent("sendMessage").Count(r => r.ChatId == HelpBotHarness.StaffChat && r.Text!.Contains("Phiếu #")));
    }
}
