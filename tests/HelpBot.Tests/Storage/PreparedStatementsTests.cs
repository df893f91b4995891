using Dapper;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelpBot.Tests.Storage;

public sealed class PreparedStatementsTests : IDisposable
{
    private readonly TempDatabase _db = new();

    [Fact]
    public async Task A_statement_used_again_on_its_connection_is_the_kept_one_with_the_new_calls_values_inside_the_transaction()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        var at = DateTimeOffset.UnixEpoch;
        int kept;
        await using (var s = await DeskSession.BeginAsync(_db.Database))
        {
            Assert.True(await s.BanAsync("telegram", "1", at, new Actor("telegram:9", "Admin"), null));
            Assert.Equal(1, Idle.KeptOn(s.Connection)); // the insert's command, kept with its compiled statement

            // The same SQL again, on the same connection and transaction: the kept command runs with these values.
            Assert.False(await s.IsBannedAsync("telegram", "2"));
            kept = Idle.KeptOn(s.Connection);
            Assert.True(await s.IsBannedAsync("telegram", "1"));
            Assert.False(await s.IsBannedAsync("zalo-bot", "1"));
            Assert.Equal(kept, Idle.KeptOn(s.Connection));
            Assert.True(await s.BanAsync("telegram", "2", at, new Actor("telegram:9", "Admin"), "spam"));
            Assert.False(await s.BanAsync("telegram", "2", at, new Actor("telegram:9", "Admin"), null));
            kept = Idle.KeptOn(s.Connection);
            await s.CommitAsync();
        }

        // The next session writes through the same connection, its statements still compiled.
        await using var after = await DeskSession.BeginAsync(_db.Database);
        Assert.Equal(kept, Idle.KeptOn(after.Connection));
        Assert.True(await after.IsBannedAsync("telegram", "1"));
        Assert.True(await after.IsBannedAsync("telegram", "2"));
        Assert.False(await after.IsBannedAsync("telegram", "3"));
    }

    [Fact]
    public async Task A_connection_closed_and_opened_again_keeps_nothing_from_before()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var s = await DeskSession.BeginAsync(_db.Database);
        Assert.False(await s.IsBannedAsync("telegram", "1"));
        Assert.Equal(1, Idle.KeptOn(s.Connection));

        // Closing disposes the kept command's compiled statement; handing it out after a reopen would run a dead one.
        await s.Transaction.RollbackAsync();
        await s.Connection.CloseAsync();
        Assert.Equal(0, Idle.KeptOn(s.Connection));
        await s.Connection.OpenAsync();
        Assert.False(await s.Connection.QuerySingleAsync<long>("SELECT count(*) FROM banned_users") > 0);
    }

    public void Dispose() => _db.Dispose();
}
