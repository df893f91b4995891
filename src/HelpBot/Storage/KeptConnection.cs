using System.Data;
using Microsoft.Data.Sqlite;

namespace HelpBot.Storage;

/// <summary>
/// A connection kept open between uses, so the statements it ran stay compiled (<see cref="PreparedStatements{T}"/>;
/// Microsoft.Data.Sqlite disposes them when a connection closes), and opened again when it was closed or dropped.
/// One user at a time: the desk sessions' writer is used only by the holder of <see cref="Database.WriteGate"/>, the
/// outbox's reader only by the dispatcher's loop. Between two uses it holds no transaction, so no snapshot of the WAL.
/// </summary>
internal sealed class KeptConnection(Func<CancellationToken, Task<SqliteConnection>> opener)
{
    private SqliteConnection? _connection;

    /// <summary>Kept through one of the database's pooled connections.</summary>
    public KeptConnection(Database database)
        : this(database.OpenAsync)
    {
    }

    /// <summary>The connection now kept, if any.</summary>
    public SqliteConnection? Current => _connection;

    public async Task<SqliteConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: ConnectionState.Open } open)
        {
            return open;
        }
        await DropAsync();
        _connection = await opener(cancellationToken);
        return _connection;
    }

    /// <summary>Closes the connection (after a failure, or for good); the next use opens a fresh one.</summary>
    public async ValueTask DropAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
