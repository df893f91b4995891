using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace HelpBot.Storage;

/// <summary>Applies the embedded, numbered <c>Migrations/NNNN_name.sql</c> files in order, once each.</summary>
public sealed class Migrator(Database database, TimeProvider time, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await database.UseWriteAheadLogAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = Database.BeginWrite(connection);
        await connection.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                name        TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL
            )
            """, transaction: transaction);
        var applied = (await connection.QueryAsync<long>(
            "SELECT version FROM schema_version", transaction: transaction)).ToHashSet();

        foreach (var (version, name, sql) in Scripts())
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            logger.LogInformation("Applied migration {Version} {Name}", version, name);
        }
        await transaction.CommitAsync(cancellationToken);
        // Fresh statistics for the query planner, cheap when nothing changed (SQLite's own advice at start-up).
        await connection.ExecuteAsync("PRAGMA optimize=0x10002");
    }

    public static IReadOnlyList<(long Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "HelpBot.Storage.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^".sql".Length];
                var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (version, name, reader.ReadToEnd());
            })
            .OrderBy(s => s.version)
            .ToList();
    }
}
