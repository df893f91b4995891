using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HelpBot.Storage;

/// <summary>
/// Opens connections to the HelpBot SQLite file with the pragmas every connection needs, and holds the one connection
/// desk sessions write through, one session at a time (<see cref="WriteGate"/>).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    /// <summary>
    /// The WAL file is cut back to this size when it starts over after a checkpoint (journal_size_limit). Large enough that
    /// steady traffic writes over the same blocks: at 50 questions a second the WAL holds up to about 13 MiB between two
    /// starts, and with a 4 MiB limit every start freed what lay past it and the next commits allocated it again; the
    /// commits that met that ext4 work took 2.5-6 ms, and made most of the slowest answers (p99 9.0-9.6 -> 7.2 ms).
    /// </summary>
    public const long WalLimitBytes = 32 * 1024 * 1024;

    // Pooled connections keep their SQLite handle: the pragmas are run once per handle, not on every open.
    private readonly ConditionalWeakTable<sqlite3, object> _prepared = [];
    private readonly string _connectionString;
    private readonly string _writerConnectionString;

    public Database(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Pooling keeps each SQLite handle and its pragmas; compiled statements end with the close (they live on in
            // the connections kept open: the writer, the outbox's reader).
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        builder.Pooling = false;
        _writerConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        _writer = new KeptConnection(OpenWriterAsync);
    }

    /// <summary>
    /// True when a <see cref="WalCheckpointer"/> runs: connections then leave checkpoints to it, instead of the commit
    /// that crosses 1,000 pages copying the WAL and syncing the database file while a citizen waits for its answer.
    /// </summary>
    public bool CheckpointsInBackground { get; init; }

    public string DataSource { get; }

    /// <summary>
    /// One desk session (write transaction) at a time in this process. Two writers that meet inside SQLite wait in its
    /// busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 ms between tries: the inbox's batch and the outbox's record of
    /// finished sends met that way and put 10–25 ms on answers now and then. Waiting here wakes the next at once.
    /// </summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>How long a desk session waits for the one before it (SQLite's own wait was 10 s, its command timeout 30 s).</summary>
    internal TimeSpan WriteGateTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The connection desk sessions write through, held by <see cref="WriteGate"/>'s holder and kept open between
    /// sessions, so the statements it ran stay compiled (<see cref="PreparedStatements{T}"/>): a getUpdates batch of one
    /// update, as at a quiet hour, would otherwise parse every statement of its route again. One connection, because one
    /// session writes at a time.
    /// </summary>
    private readonly KeptConnection _writer;
    private volatile bool _disposed;

    /// <summary>
    /// Past this size the WAL is cut back even while sessions are writing (a burst), at the cost of a stall for whoever
    /// waits at the gate meanwhile (not timed: a burst's answers take seconds anyway).
    /// </summary>
    internal long WalHighWaterBytes { get; init; } = 4 * WalLimitBytes;

    /// <summary>Desk sessions committed so far, and at the last checkpoint: tells whether anyone wrote since.</summary>
    private long _commits;
    private long _commitsAtLastCheckpoint;

    internal void Committed() => Interlocked.Increment(ref _commits);

    /// <summary>WAL is a property of the file: set once, before anything else opens it (the migrator does).</summary>
    public async Task UseWriteAheadLogAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new TimedConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (connection.Handle is { } handle && !_prepared.TryGetValue(handle, out _))
        {
            await ConfigureAsync(connection, writer: false, cancellationToken);
            _prepared.AddOrUpdate(handle, handle);
        }
        return connection;
    }

    /// <summary>
    /// A connection for desk sessions: not pooled (it is kept open for the life of the process, and its in-memory
    /// temporary storage must not reach a pooled connection that runs a migration or an export).
    /// </summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = new TimedConnection(_writerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ConfigureAsync(connection, writer: true, cancellationToken);
        return connection;
    }

    private async Task ConfigureAsync(SqliteConnection connection, bool writer, CancellationToken cancellationToken)
    {
        using var pragma = connection.CreateCommand();
        // WAL lets the outbox dispatcher read while the inbox writes; NORMAL sync in WAL mode is
        // durable across process crashes (the case we guard); an OS crash may lose the commits since the WAL was last
        // synced, which the checkpointer does four times a second.
        // busy_timeout makes a writer wait for the other instead of failing with SQLITE_BUSY.
        // journal_size_limit: the first commit after the WAL starts over trims a file that grew back to this size.
        // cache_size: 1 MiB of pages a connection instead of SQLite's 2 MB; the writer and the outbox's reader stay
        // open, so their caches are held for good (e2e 5,000 questions: peak 96.3-100.8 -> 94.3-95.9 MiB).
        // temp_store (the writer only): statement journals in memory. Every inbox event runs in a savepoint, which here
        // journalled the pages its transaction had already changed (the batch's earlier events); past 64 KiB SQLite
        // spilled that journal to a temporary file, and its writes were 425,000 of 627,000 write calls (950 MB) in a
        // 5,000-question burst, all inside the write gate. An event's journal is a few dozen pages, cut back when its
        // savepoint ends; nothing in it is needed after a crash. Sorts and temporary tables stay in memory too, with no
        // spill: on this connection that is /stats over at most a month. Migrations and exports run on pooled
        // connections, which keep SQLite's files.
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA journal_size_limit={WalLimitBytes}; PRAGMA cache_size=-1024;"
            + (writer ? " PRAGMA temp_store=MEMORY;" : "")
            + (CheckpointsInBackground ? " PRAGMA wal_autocheckpoint=0;" : "");
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The writer connection, opened again if it was closed or dropped. Only the holder of the write gate calls this.</summary>
    internal async Task<SqliteConnection> TakeWriterAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            // A last record as the host stops, after the container let go of the database: a connection of its own,
            // closed by the session (ReleaseWriterAsync).
            return await OpenWriterAsync(cancellationToken);
        }
        return await _writer.GetAsync(cancellationToken);
    }

    /// <summary>
    /// A session is done with its connection. The kept writer stays open for the next session, unless the session failed
    /// (a rollback that failed may leave it holding SQLite's write lock) or the database was disposed meanwhile; a
    /// connection of the session's own is closed. Holder of the gate only.
    /// </summary>
    internal async ValueTask ReleaseWriterAsync(SqliteConnection connection, bool failed)
    {
        if (!ReferenceEquals(connection, _writer.Current))
        {
            await connection.DisposeAsync();
        }
        else if (failed || _disposed)
        {
            await _writer.DropAsync();
        }
    }

    /// <summary>
    /// Closes the writer once no session holds it (waiting for the one that does, as long as a session may wait); sessions
    /// that start later, such as the outbox's last record while the host stops, write through connections of their own.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (!await WriteGate.WaitAsync(WriteGateTimeout))
        {
            // The session still holding it closes the writer when it ends (ReleaseWriterAsync sees the database disposed).
            return;
        }
        try
        {
            await _writer.DropAsync();
        }
        finally
        {
            WriteGate.Release();
        }
    }

    /// <summary>
    /// Copies what the WAL holds into the database without making anyone wait (PASSIVE), and returns how many of its pages
    /// are left to copy (0: all of them are in the database). After a copy that left none, the next commit writes from
    /// the WAL's start again, over the same blocks, unless a reader is still reading from the WAL then; that commit also
    /// trims a file that grew past <see cref="WalLimitBytes"/> (journal_size_limit) back to it.
    /// </summary>
    /// <remarks>
    /// Under a burst a writer always arrives before the WAL is all copied, so it never starts over and grows (234 MiB
    /// over 5,000 questions at once). The WAL is then cut to nothing (TRUNCATE, holding the write gate, so no session
    /// writes meanwhile) in two cases only: when no desk session committed since the last round, so no one is waiting
    /// for the database; and when it has passed <see cref="WalHighWaterBytes"/>, when a stall is worth its size. Not on
    /// every round that finds the file past its limit, as until session 5: at 50 questions a second that was about
    /// once a second, and held the gate 4.4 ms at the median and up to 126 ms (ext4 freeing the WAL's blocks, which the
    /// next commits then allocated again), and most of the slowest answers were inbox batches waiting behind it.
    /// </remarks>
    public async Task<long> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var wal = new FileInfo(DataSource + "-wal");
        if (!wal.Exists)
        {
            return 0;
        }
        await using var connection = await OpenAsync(cancellationToken);
        var (_, log, copied) = await ReadCheckpointAsync(connection, "PASSIVE", cancellationToken);
        // Counted after the copy, which is the slow part: a session that committed during it is traffic.
        var commits = Interlocked.Read(ref _commits);
        var idle = commits == Interlocked.Exchange(ref _commitsAtLastCheckpoint, commits);
        wal.Refresh();
        var length = wal.Exists ? wal.Length : 0;
        var high = length > WalHighWaterBytes;
        if (length > WalLimitBytes && ((idle && log == copied) || high) && WriteGate.Wait(0))
        {
            try
            {
                // A session that came and went between the count and the gate is traffic too.
                if (high || Interlocked.Read(ref _commits) == commits)
                {
                    (_, log, copied) = await TruncateAsync(connection, cancellationToken);
                }
            }
            finally
            {
                WriteGate.Release();
            }
        }
        return log - copied;
    }

    /// <summary>
    /// Copies what is left and starts the WAL over from an empty file, giving up at once if a reader or a writer is busy
    /// (the next round tries again). Holder of the write gate only.
    /// </summary>
    private static async Task<(long Busy, long Log, long Copied)> TruncateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout=0;";
        await wait.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            return await ReadCheckpointAsync(connection, "TRUNCATE", cancellationToken);
        }
        finally
        {
            wait.CommandText = "PRAGMA busy_timeout=10000;";
            await wait.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<(long Busy, long Log, long Copied)> ReadCheckpointAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : (0, 0, 0);
    }

    /// <summary>A write transaction that takes the write lock up front, so two writers never deadlock upgrading.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
}

/// <summary>
/// A connection whose commands never wait forever. Dapper.AOT sets a command timeout of 0 when a call gives none, and
/// for Microsoft.Data.Sqlite 0 means retrying a locked database without end (after SQLite's own busy_timeout); here
/// 0 means the connection's default (30 s), as it did with plain Dapper, so a lock held elsewhere ends in an error
/// the loops log and retry.
/// </summary>
internal sealed class TimedConnection(string connectionString) : SqliteConnection(connectionString)
{
    public override SqliteCommand CreateCommand() => new TimedCommand { Connection = this, CommandTimeout = DefaultTimeout, Transaction = Transaction };

    private sealed class TimedCommand : SqliteCommand
    {
        public override int CommandTimeout
        {
            get => base.CommandTimeout;
            set => base.CommandTimeout = value == 0 && Connection is { } c ? c.DefaultTimeout : value;
        }
    }
}
