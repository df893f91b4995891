using Dapper;
using HelpBot.Channels.Sandbox;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HelpBot.Tests.Channels.Sandbox;

public sealed class DemoSeederTests
{
    [Fact]
    public async Task Seed_demo_plays_a_realistic_morning_through_the_real_pipeline_once()
    {
        await using var s = await SandboxHarness.StartAsync();
        var seeder = s.App.Services.GetRequiredService<DemoSeeder>();
        // 15:00 in Hà Nội on a Tuesday: the whole morning is in the past.
        var afternoon = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        Assert.True(await seeder.SeedAsync(afternoon));
        Assert.False(await seeder.SeedAsync(afternoon));

        await using var connection = await s.Db.Database.OpenAsync();
        async Task<long> Count(string sql) => await connection.ExecuteScalarAsync<long>(sql);
        Assert.Equal(30, await Count("SELECT count(*) FROM tickets"));
        Assert.Equal(4, await Count("SELECT count(*) FROM team_members"));
        Assert.Equal(12, await Count("SELECT count(*) FROM tickets WHERE state = 'Resolved'"));
        Assert.Equal(1, await Count("SELECT count(*) FROM tickets WHERE reopen_count = 1"));
        Assert.Equal(3, await Count("SELECT count(*) FROM tickets WHERE state = 'Claimed'"));
        Assert.Equal(6, await Count("SELECT count(*) FROM tickets WHERE state = 'New'"));
        Assert.True(await Count("SELECT count(*) FROM tickets WHERE question NOT GLOB '*[^ -~]*'") >= 5, "some questions without diacritics");
        // The story happened this morning, in order.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), await Count("SELECT min(created_at) FROM tickets"));
        Assert.True(await Count("SELECT max(created_at) FROM tickets") < afternoon.ToUnixTimeMilliseconds());
        Assert.Equal(0, await Count("SELECT count(*) FROM outbox WHERE state <> 'sent'"));

        var admin = SandboxChats.Private("admin");
        var stats = await s.BotSaysAsync(admin, "Tiếp nhận: 30");
        Assert.Contains("mở lại: 1", stats.Text, StringComparison.Ordinal);
    }
}
