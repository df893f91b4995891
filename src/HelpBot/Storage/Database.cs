using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HelpBot.Storage;

/// <summary>Opens connections to the HelpBot SQLite file with the pragmas every connection needs.</summary>
public sealed class Database
{
    /// <summary>The WAL file is cut back to this size after a checkpoint (the automatic ones run every 1,000 pages, about 4 MB).</summary>
    public const long WalLimitBytes = 4 * 1024 * 1024;

    /// <summary>A WAL this large means readers kept the automatic checkpoints from starting it over: checkpoint it when idle.</summary>
    public const long WalCheckpointBytes = 4 * WalLimitBytes;

    // Pooled connections keep their SQLite handle: the pragmas are run once per handle, not on every open.
    private readonly ConditionalWeakTable<sqlite3, object> _prepared = [];
    private readonly string _connectionString;

    public Database(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Pooling keeps the per-connection pragmas and prepared statements warm.
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string DataSource { get; }

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
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (connection.Handle is { } handle && !_prepared.TryGetValue(handle, out _))
        {
            using var pragma = connection.CreateCommand();
            // WAL lets the outbox dispatcher read while the inbox writes; NORMAL sync in WAL mode is
            // durable across process crashes (the case we guard), only an OS crash may lose the last commit.
            // busy_timeout makes a writer wait for the other instead of failing with SQLITE_BUSY.
            // journal_size_limit gives the disk back after a checkpoint has emptied a WAL that grew.
            pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA journal_size_limit={WalLimitBytes};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            _prepared.AddOrUpdate(handle, handle);
        }
        return connection;
    }

    /// <summary>
    /// When the WAL has grown past <see cref="WalCheckpointBytes"/> (readers kept the automatic checkpoints from
    /// starting it over), copies it into the database and truncates it, so reads stop wading through it.
    /// Meant for idle moments: it waits for the writer of the moment and holds up new ones while it runs.
    /// </summary>
    public async Task<bool> CheckpointIfGrownAsync(CancellationToken cancellationToken = default)
    {
        var wal = new FileInfo(DataSource + "-wal");
        if (DataSource is "" or ":memory:" || !wal.Exists || wal.Length <= WalCheckpointBytes)
        {
            return false;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>A write transaction that takes the write lock up front, so two writers never deadlock upgrading.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
}
