using Dapper;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelpBot.Tests.Storage;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDatabase _db = new();

    [Fact]
    public async Task Every_connection_has_the_pragmas_including_one_taken_again_from_the_pool()
    {
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await _db.Database.OpenAsync();
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // NORMAL
            Assert.Equal(10_000L, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
            Assert.Equal(Database.WalLimitBytes, await connection.ExecuteScalarAsync<long>("PRAGMA journal_size_limit"));
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        }
    }

    [Fact]
    public async Task A_wal_that_a_long_reader_let_grow_is_checkpointed_and_truncated_when_idle()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        // Held open throughout, as the running bot's pool does: when the last connection closes (other tests clear the
        // pools), SQLite checkpoints and removes the WAL on its own.
        await using var open = await _db.Database.OpenAsync();
        await using (var writer = await _db.Database.OpenAsync())
        {
            await writer.ExecuteAsync("CREATE TABLE filler (data BLOB NOT NULL)");
            // A reader in the middle of a transaction keeps the automatic checkpoints from starting the WAL over.
            await using var reader = await _db.Database.OpenAsync();
            await using var snapshot = reader.BeginTransaction(deferred: true);
            await reader.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version", transaction: snapshot);
            for (var i = 0; i < 80; i++)
            {
                await writer.ExecuteAsync("INSERT INTO filler (data) VALUES (zeroblob(256 * 1024))");
            }
        }
        var wal = new FileInfo(_db.Path + "-wal");
        Assert.True(wal.Length > Database.WalCheckpointBytes, $"WAL {wal.Length} bytes");

        Assert.True(await _db.Database.CheckpointIfGrownAsync());

        wal.Refresh();
        Assert.Equal(0, wal.Length);
        Assert.False(await _db.Database.CheckpointIfGrownAsync());
        await using var check = await _db.Database.OpenAsync();
        Assert.Equal(80L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM filler"));
    }

    public void Dispose() => _db.Dispose();
}
