using Dapper;
using HelpBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace HelpBot.Hosting;

/// <summary>
/// <c>backup &lt;path&gt; [--force]</c>: a consistent copy of the database through SQLite's online backup, safe
/// while HelpBot runs (WAL readers do not block the writer). Restore: stop HelpBot, replace helpbot.db with
/// the copy (and delete helpbot.db-wal and helpbot.db-shm), start it.
/// </summary>
public static class BackupVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var force = args.Contains("--force");
        if (path is null)
        {
            await Console.Error.WriteLineAsync("backup: say where to write the copy. Usage: backup <path> [--force]");
            return 2;
        }
        if (File.Exists(path) && !force)
        {
            await Console.Error.WriteLineAsync($"backup: {path} exists; add --force to overwrite it.");
            return 2;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a.Contains('=', StringComparison.Ordinal)).ToArray())
            .Build();
        var source = new Database(configuration.GetConnectionString("HelpBot") is { Length: > 0 } cs ? cs : StorageExtensions.DefaultConnectionString);
        if (!File.Exists(source.DataSource))
        {
            await Console.Error.WriteLineAsync($"backup: there is no database at {source.DataSource}.");
            return 2;
        }
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        await using (var from = await source.OpenAsync())
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await to.OpenAsync();
            from.BackupDatabase(to);
            var check = await to.QueryFirstAsync<string>("PRAGMA integrity_check");
            var tickets = await to.ExecuteScalarAsync<long>("SELECT count(*) FROM tickets");
            if (check != "ok")
            {
                await Console.Error.WriteLineAsync($"backup: the copy failed its integrity check: {check}");
                return 1;
            }
            await output.WriteLineAsync($"Backed up {tickets} tickets from {source.DataSource} to {path} (integrity ok).");
        }
        return 0;
    }
}
