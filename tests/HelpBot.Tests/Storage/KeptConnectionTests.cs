using Dapper;
using HelpBot.Storage;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Storage;

/// <summary>The connections the running bot keeps open (the desk sessions' writer, the outbox's reader) never pin the WAL.</summary>
public sealed class KeptConnectionTests
{
    [Fact]
    public async Task After_a_whole_ticket_the_bots_kept_connections_leave_the_wal_free_to_start_over()
    {
        await using var h = await HelpBotHarness.StartAsync();
        h.WritePrivately(7001, "Bà Tư", "Cho hỏi làm căn cước cho cháu ở đâu ạ?");
        var card = await h.CardAsync(1);
        h.InStaffChat(601, "Lan", "Dạ, bác làm ở công an xã ạ.", replyTo: card.ResultMessageId);
        await h.SentToAsync(7001, "công an xã");
        await h.SettleAsync();

        // The bot's own database: its writer and the outbox's reader have both run their statements and stay open.
        var database = h.Service<Database>();
        await using (var filler = await database.OpenAsync())
        {
            await filler.ExecuteAsync("CREATE TABLE filler (data BLOB NOT NULL)");
            for (var i = 0; i < Database.WalLimitBytes / (256 * 1024) + 8; i++)
            {
                await filler.ExecuteAsync("INSERT INTO filler (data) VALUES (zeroblob(256 * 1024))");
            }
        }
        var wal = new FileInfo(database.DataSource + "-wal");
        Assert.True(wal.Length > Database.WalLimitBytes, $"WAL {wal.Length} bytes");

        // A statement of either left mid-read would hold a snapshot, and the restart would give up.
        Assert.Equal(0L, await database.CheckpointAsync());
        await WalProbe.AssertStartedOverAsync(database);
    }
}
