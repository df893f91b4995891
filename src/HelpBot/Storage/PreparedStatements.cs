using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HelpBot.Storage;

/// <summary>
/// The base of every generated Dapper call (Storage/DapperAot.cs): a finished command stays with its connection, so the
/// next call of the same SQL on that connection runs SQLite's already compiled statement instead of parsing and
/// planning it again. The connections that do most of the work stay open (<see cref="Database.TakeWriterAsync"/>, the
/// outbox's reader), so a statement is compiled about once in the life of the process.
/// Dapper.AOT's own command reuse cannot do this: it detaches a command from its connection, which makes
/// Microsoft.Data.Sqlite drop the compiled statements.
/// Dapper.AOT hands a command back (<see cref="TryRecycle"/>) just before it disposes the command's reader; that is
/// safe because a connection serves one flow at a time and the reader is gone before that flow runs its next command.
/// </summary>
public class PreparedStatements<T> : CommandFactory<T>
{
    public override DbCommand GetCommand(DbConnection connection, string sql, CommandType commandType, T args)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return base.GetCommand(connection, sql, commandType, args);
        }
        var fresh = base.GetCommand(connection, sql, commandType, args);
        // "@name", as the SQL writes it: Microsoft.Data.Sqlite binds a bare "name" by trying ":name", "@name" and "$name"
        // in turn, each converted to UTF-8, on every execution.
        foreach (SqliteParameter parameter in fresh.Parameters)
        {
            if (parameter.ParameterName is { Length: > 0 } name && name[0] is not ('@' or '$' or ':'))
            {
                parameter.ParameterName = "@" + name;
            }
        }
        if (!Idle.TryTake(sqlite, fresh.CommandText, out var kept))
        {
            return fresh;
        }
        // The new command carries this call's parameters; the kept one carries the compiled statement. (Dapper.AOT 1.1
        // offers no public way to set a call's values on a command's existing parameters.)
        var parameters = new SqliteParameter[fresh.Parameters.Count];
        fresh.Parameters.CopyTo(parameters, 0);
        fresh.Parameters.Clear();
        fresh.Dispose();
        kept.Parameters.AddRange(parameters);
        return kept;
    }

    public override bool TryRecycle(DbCommand command) => command is SqliteCommand sqlite && Idle.TryKeep(sqlite);
}

/// <summary>Finished commands per open connection, one per SQL text.</summary>
internal static class Idle
{
    /// <summary>
    /// More than the statements of every route together, so the writer, open for the life of the process, keeps them
    /// all; a few hundred KiB of compiled statements at most.
    /// </summary>
    private const int MaxPerConnection = 160;

    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Kept = new();

    /// <summary>How many finished commands a connection holds (for tests).</summary>
    public static int KeptOn(SqliteConnection connection)
    {
        if (!Kept.TryGetValue(connection, out var kept))
        {
            return 0;
        }
        lock (kept)
        {
            return kept.Count;
        }
    }

    public static bool TryTake(SqliteConnection connection, string sql, out SqliteCommand command)
    {
        command = null!;
        if (connection.State != ConnectionState.Open || !Kept.TryGetValue(connection, out var kept))
        {
            return false;
        }
        lock (kept)
        {
            return kept.Remove(sql, out command!);
        }
    }

    public static bool TryKeep(SqliteCommand command)
    {
        if (command.Connection is not { State: ConnectionState.Open } connection || command.CommandType != CommandType.Text)
        {
            return false;
        }
        command.Parameters.Clear();
        command.Transaction = null;
        var kept = Kept.GetValue(connection, Watch);
        lock (kept)
        {
            return kept.Count < MaxPerConnection && kept.TryAdd(command.CommandText, command);
        }
    }

    /// <summary>Closing a connection disposes its commands' compiled statements: what it kept goes with them.</summary>
    private static Dictionary<string, SqliteCommand> Watch(SqliteConnection connection)
    {
        connection.StateChange += (sender, change) =>
        {
            if (change.CurrentState == ConnectionState.Closed && sender is SqliteConnection closed)
            {
                Kept.Remove(closed);
            }
        };
        return new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
    }
}
