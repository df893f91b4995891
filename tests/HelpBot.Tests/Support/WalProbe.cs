using Dapper;
using HelpBot.Storage;

namespace HelpBot.Tests.Support;

/// <summary>
/// Tells whether a checkpoint let the WAL start over: the commit after it then writes from the WAL's start, and trims a
/// file that grew past <see cref="Database.WalLimitBytes"/> back to it, instead of adding its pages after the others.
/// </summary>
internal static class WalProbe
{
    /// <summary>Commits one small row; returns how many pages the WAL then holds and the length of its file.</summary>
    public static async Task<(long Pages, long Bytes)> CommitOneRowAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS wal_probe (n INTEGER NOT NULL)");
        await connection.ExecuteAsync("INSERT INTO wal_probe (n) VALUES (1)");
        await using var command = connection.CreateCommand();
        // PASSIVE reads the WAL's page count without waiting for anyone (it copies, which changes nothing seen here).
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(1), new FileInfo(database.DataSource + "-wal").Length);
    }

    /// <summary>
    /// The WAL started over: the next commit's few pages are all it holds, and its file is back within the limit.
    /// Returns the file's length then.
    /// </summary>
    public static async Task<long> AssertStartedOverAsync(Database database)
    {
        var (pages, bytes) = await CommitOneRowAsync(database);
        Assert.True(pages <= 4, $"the WAL holds {pages} pages after one small commit: it did not start over");
        Assert.True(bytes <= Database.WalLimitBytes, $"WAL file {bytes} bytes");
        return bytes;
    }
}
