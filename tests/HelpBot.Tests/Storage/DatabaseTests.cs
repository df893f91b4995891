using System.Data;
using Dapper;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using HelpBot.Tickets;
using Microsoft.Data.Sqlite;
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
            Assert.Equal(-1024L, await connection.ExecuteScalarAsync<long>("PRAGMA cache_size")); // 1 MiB
            Assert.Equal(1000L, await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("PRAGMA temp_store")); // SQLite's: files past a size
        }
    }

    [Fact]
    public async Task The_desk_sessions_writer_has_the_pragmas_and_keeps_temporary_storage_in_memory()
    {
        await using var session = await DeskSession.BeginAsync(_db.Database);
        var writer = session.Connection;
        Assert.Equal(1L, await writer.ExecuteScalarAsync<long>("PRAGMA synchronous", transaction: session.Transaction));
        Assert.Equal(Database.WalLimitBytes, await writer.ExecuteScalarAsync<long>("PRAGMA journal_size_limit", transaction: session.Transaction));
        Assert.Equal(1L, await writer.ExecuteScalarAsync<long>("PRAGMA foreign_keys", transaction: session.Transaction));
        Assert.Equal(-1024L, await writer.ExecuteScalarAsync<long>("PRAGMA cache_size", transaction: session.Transaction));
        Assert.Equal(2L, await writer.ExecuteScalarAsync<long>("PRAGMA temp_store", transaction: session.Transaction)); // MEMORY
    }

    [Fact]
    public async Task A_savepoint_that_changes_many_pages_keeps_its_journal_in_memory_and_still_rolls_back()
    {
        // A savepoint journals the pages that its transaction had already changed before it began, as every event of an
        // inbox batch does with the pages the events before it changed. Past 64 KiB SQLite spills that journal to a
        // deleted temporary file (etilqs_*) and writes every page there: two in three of HelpBot's write calls in a
        // 5,000-question burst.
        await using (var setup = await _db.Database.OpenAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE filler (data BLOB NOT NULL)");
            for (var i = 0; i < 64; i++)
            {
                await setup.ExecuteAsync("INSERT INTO filler (data) VALUES (zeroblob(4000))");
            }
        }
        await using var session = await DeskSession.BeginAsync(_db.Database);
        var writer = session.Connection;
        await writer.ExecuteAsync("UPDATE filler SET data = zeroblob(3500)", transaction: session.Transaction);
        var before = TemporaryFilesOpen();
        await writer.ExecuteAsync("SAVEPOINT event", transaction: session.Transaction);
        await writer.ExecuteAsync("UPDATE filler SET data = zeroblob(3000)", transaction: session.Transaction);

        Assert.Equal(before, TemporaryFilesOpen());

        await writer.ExecuteAsync("ROLLBACK TO event", transaction: session.Transaction);
        Assert.Equal(64 * 3500L, await writer.ExecuteScalarAsync<long>("SELECT sum(length(data)) FROM filler", transaction: session.Transaction));
    }

    /// <summary>SQLite's temporary files this process has open (deleted as they are made, so seen only through /proc).</summary>
    private static int TemporaryFilesOpen() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Count(fd => new FileInfo(fd).LinkTarget?.Contains("etilqs_", StringComparison.Ordinal) == true);

    [Fact]
    public async Task With_background_checkpoints_no_commit_copies_the_wal_and_the_checkpointer_copies_all_of_it()
    {
        await using var database = new Database(_db.ConnectionString) { CheckpointsInBackground = true };
        await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        // Held open throughout, as the running bot's pool does: when the last connection closes (other tests clear the
        // pools), SQLite checkpoints and removes the WAL on its own.
        await using var writer = await database.OpenAsync();
        Assert.Equal(0L, await writer.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"));
        await writer.ExecuteAsync("CREATE TABLE filler (data BLOB NOT NULL)");
        for (var i = 0; i < 10; i++)
        {
            await writer.ExecuteAsync("INSERT INTO filler (data) VALUES (zeroblob(512 * 1024))");
        }
        // Past SQLite's own 1,000-page threshold, and nothing was copied into the database file by the commits.
        Assert.True(new FileInfo(_db.Path + "-wal").Length > 1000 * 4096);
        Assert.True(new FileInfo(_db.Path).Length < 1024 * 1024, $"database file {new FileInfo(_db.Path).Length} bytes");

        Assert.Equal(0L, await database.CheckpointAsync());

        Assert.True(new FileInfo(_db.Path).Length > 10 * 512 * 1024);
    }

    [Fact]
    public async Task A_wal_that_a_long_reader_let_grow_is_cut_once_the_reader_lets_go_and_no_session_writes()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        await GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(RowsPastLimit);

        Assert.Equal(0L, await _db.Database.CheckpointAsync());

        Assert.Equal(0, new FileInfo(_db.Path + "-wal").Length);
        await WalProbe.AssertStartedOverAsync(_db.Database);
        await using var check = await _db.Database.OpenAsync();
        Assert.Equal((long)RowsPastLimit, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM filler"));
    }

    [Fact]
    public async Task A_desk_session_waits_for_the_one_before_it_in_the_process_instead_of_sleeping_in_SQLites_busy_handler()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        var first = await DeskSession.BeginAsync(_db.Database);
        var second = DeskSession.BeginAsync(_db.Database);
        Assert.False(second.IsCompleted); // held at the gate, not inside SQLite

        await first.DisposeAsync();
        await using (var s = await second.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await first.DisposeAsync(); // a second dispose gives back nothing it does not hold
            Assert.Equal(0, _db.Database.WriteGate.CurrentCount);
        }
        Assert.Equal(1, _db.Database.WriteGate.CurrentCount);
    }

    [Fact]
    public async Task A_desk_session_that_is_never_released_makes_the_next_one_fail_with_a_clear_error_not_hang()
    {
        await using var database = new Database(_db.ConnectionString) { WriteGateTimeout = TimeSpan.FromMilliseconds(50) };
        await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var held = await DeskSession.BeginAsync(database);
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => DeskSession.BeginAsync(database));
        Assert.Contains("another one is still open", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, database.WriteGate.CurrentCount); // the failed attempt took nothing
    }

    [Fact]
    public async Task A_command_given_no_timeout_waits_the_connections_30_s_not_forever()
    {
        // Dapper.AOT sets CommandTimeout = 0 when a call names none; Microsoft.Data.Sqlite would then retry a locked
        // database without end.
        await using var connection = await _db.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        Assert.Equal(30, command.CommandTimeout);
        command.CommandTimeout = 5;
        Assert.Equal(5, command.CommandTimeout);
    }

    [Fact]
    public async Task While_sessions_write_a_checkpoint_leaves_the_wal_file_and_the_next_commit_starts_over_in_it_trimmed_to_the_limit()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        var wal = await GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(RowsPastLimit);

        // A session committed since the last round: cutting the file would hold the gate while ext4 frees its blocks
        // (up to 126 ms), for the next commits to allocate them again.
        await BanAsync(_db.Database, "1");
        wal.Refresh();
        var grown = wal.Length;
        Assert.Equal(0L, await _db.Database.CheckpointAsync());
        wal.Refresh();
        Assert.Equal(grown, wal.Length);

        Assert.Equal(Database.WalLimitBytes, await WalProbe.AssertStartedOverAsync(_db.Database));
    }

    [Fact]
    public async Task A_wal_that_steady_traffic_keeps_under_its_limit_starts_over_in_the_same_blocks()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        // About 13 MiB, as at 50 questions a second between two starts: with a limit of a few MiB, every start would
        // free the blocks past it and the next commits allocate them again (commits of 2.5-6 ms on ext4).
        var steady = (await GrowWalWhileAReaderHoldsASnapshotAsync(52)).Length;
        Assert.True(steady > 12 * 1024 * 1024, $"WAL {steady} bytes");
        await BanAsync(_db.Database, "1");
        Assert.Equal(0L, await _db.Database.CheckpointAsync());

        var bytes = await WalProbe.AssertStartedOverAsync(_db.Database);
        Assert.True(bytes >= steady, $"WAL {bytes} bytes, {steady} before: the start gave blocks back");
    }

    [Fact]
    public async Task Once_no_session_writes_a_checkpoint_cuts_a_wal_past_its_limit_unless_a_session_holds_the_gate()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        var wal = await GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(RowsPastLimit);
        await BanAsync(_db.Database, "1");
        Assert.Equal(0L, await _db.Database.CheckpointAsync()); // the round that sees the session
        wal.Refresh();
        var grown = wal.Length;

        _db.Database.WriteGate.Wait();
        try
        {
            Assert.Equal(0L, await _db.Database.CheckpointAsync());
            wal.Refresh();
            Assert.Equal(grown, wal.Length);
        }
        finally
        {
            _db.Database.WriteGate.Release();
        }
        Assert.Equal(0L, await _db.Database.CheckpointAsync());
        wal.Refresh();
        Assert.Equal(0, wal.Length);
        Assert.Equal(1, _db.Database.WriteGate.CurrentCount);
        await WalProbe.AssertStartedOverAsync(_db.Database);
    }

    [Fact]
    public async Task A_wal_past_its_high_water_mark_is_cut_back_even_while_sessions_write()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        await using var database = new Database(_db.ConnectionString) { WalHighWaterBytes = Database.WalLimitBytes + 1 };
        var wal = await GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(RowsPastLimit);

        await BanAsync(database, "1"); // a session since the last round: only the high-water mark cuts the file now
        wal.Refresh();
        Assert.True(wal.Length > database.WalHighWaterBytes, $"WAL {wal.Length} bytes");
        Assert.Equal(0L, await database.CheckpointAsync());
        wal.Refresh();
        Assert.Equal(0, wal.Length);
        Assert.Equal(1, database.WriteGate.CurrentCount);
    }

    /// <summary>
    /// Migrates the database and returns a connection to hold open while the test runs: when the last connection closes,
    /// SQLite checkpoints and removes the WAL on its own, and the WAL is what these tests watch.
    /// </summary>
    private async Task<SqliteConnection> MigratedWithTheWalKeptAsync()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        return await _db.Database.OpenAsync();
    }

    private static async Task BanAsync(Database database, string userId)
    {
        await using var s = await DeskSession.BeginAsync(database);
        Assert.True(await s.BanAsync("telegram", userId, DateTimeOffset.UnixEpoch, new Actor("telegram:9", "Admin"), null));
        await s.CommitAsync();
    }

    [Fact]
    public async Task The_writer_connection_kept_open_between_sessions_with_its_statements_holds_no_snapshot_of_the_wal()
    {
        await using var open = await MigratedWithTheWalKeptAsync();
        await GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(RowsPastLimit);

        SqliteConnection writer;
        await using (var s = await DeskSession.BeginAsync(_db.Database))
        {
            writer = s.Connection;
            Assert.False(await s.IsBannedAsync("telegram", "1")); // a read whose statement is kept
            Assert.True(await s.BanAsync("telegram", "1", DateTimeOffset.UnixEpoch, new Actor("telegram:9", "Admin"), null));
            await s.CommitAsync();
        }
        Assert.Equal(ConnectionState.Open, writer.State);
        Assert.True(Idle.KeptOn(writer) >= 2);

        // Were a kept statement left mid-read, its snapshot would pin the WAL and the restart would give up.
        Assert.Equal(0L, await _db.Database.CheckpointAsync());
        await WalProbe.AssertStartedOverAsync(_db.Database);

        await using var next = await DeskSession.BeginAsync(_db.Database);
        Assert.Same(writer, next.Connection);
        Assert.True(await next.IsBannedAsync("telegram", "1"));
    }

    [Fact]
    public async Task A_writer_closed_under_a_session_is_not_handed_on_the_next_session_gets_a_fresh_one()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        SqliteConnection first;
        await using (var session = await DeskSession.BeginAsync(_db.Database))
        {
            first = session.Connection;
            first.Close(); // as a failure that closed it would
        }
        Assert.Equal(1, _db.Database.WriteGate.CurrentCount);

        await using var next = await DeskSession.BeginAsync(_db.Database);
        Assert.NotSame(first, next.Connection);
        Assert.Equal(ConnectionState.Open, next.Connection.State);
        Assert.False(await next.IsBannedAsync("telegram", "1"));
    }

    [Fact]
    public async Task Disposed_while_a_session_writes_it_waits_for_that_session_closes_the_writer_and_later_sessions_close_their_own()
    {
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        var database = new Database(_db.ConnectionString);
        var session = await DeskSession.BeginAsync(database);
        var writer = session.Connection;

        var disposing = database.DisposeAsync().AsTask(); // as the host stops while the outbox records its last sends
        Assert.False(disposing.IsCompleted);
        Assert.Equal(ConnectionState.Open, writer.State);
        Assert.True(await session.BanAsync("telegram", "1", DateTimeOffset.UnixEpoch, new Actor("telegram:9", "Admin"), null));
        await session.CommitAsync();
        await session.DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ConnectionState.Closed, writer.State);
        Assert.Equal(1, database.WriteGate.CurrentCount);

        SqliteConnection late;
        await using (var after = await DeskSession.BeginAsync(database))
        {
            late = after.Connection;
            Assert.NotSame(writer, late);
            Assert.True(await after.IsBannedAsync("telegram", "1"));
        }
        Assert.Equal(ConnectionState.Closed, late.State);
    }

    /// <summary>Rows of 256 KiB that take the WAL past its limit.</summary>
    private const int RowsPastLimit = (int)(Database.WalLimitBytes / (256 * 1024)) + 8;

    /// <summary>The WAL grown past its limit (<see cref="GrowWalWhileAReaderHoldsASnapshotAsync"/>).</summary>
    private async Task<FileInfo> GrowWalPastLimitWhileAReaderHoldsASnapshotAsync(int rows)
    {
        var wal = await GrowWalWhileAReaderHoldsASnapshotAsync(rows);
        Assert.True(wal.Length > Database.WalLimitBytes, $"WAL {wal.Length} bytes");
        return wal;
    }

    /// <summary>
    /// Writes 256 KiB rows while a reader sits in the middle of a transaction, which keeps every checkpoint
    /// from starting the WAL over; the reader has let go when this returns.
    /// </summary>
    private async Task<FileInfo> GrowWalWhileAReaderHoldsASnapshotAsync(int rows)
    {
        await using (var writer = await _db.Database.OpenAsync())
        {
            await writer.ExecuteAsync("CREATE TABLE filler (data BLOB NOT NULL)");
            await using var reader = await _db.Database.OpenAsync();
            await using var snapshot = reader.BeginTransaction(deferred: true);
            await reader.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version", transaction: snapshot);
            for (var i = 0; i < rows; i++)
            {
                await writer.ExecuteAsync("INSERT INTO filler (data) VALUES (zeroblob(256 * 1024))");
            }
        }
        return new FileInfo(_db.Path + "-wal");
    }

    public void Dispose() => _db.Dispose();
}
