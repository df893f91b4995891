using System.Data;
using Microsoft.Data.Sqlite;

namespace HelpBot.Storage;

/// <summary>Opens connections to the HelpBot SQLite file with the pragmas every connection needs.</summary>
public sealed class Database
{
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
        using var pragma = connection.CreateCommand();
        // WAL lets the outbox dispatcher read while the inbox writes; NORMAL sync in WAL mode is
        // durable across process crashes (the case we guard), only an OS crash may lose the last commit.
        // busy_timeout makes a writer wait for the other instead of failing with SQLITE_BUSY.
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>A write transaction that takes the write lock up front, so two writers never deadlock upgrading.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
}
