using Dapper;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelpBot.Tests.Storage;

public sealed class MigratorTests : IDisposable
{
    private readonly TempDatabase _db = new();

    [Fact]
    public async Task Migrations_apply_in_order_once_and_record_their_version()
    {
        var migrator = new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync();
        await migrator.MigrateAsync();

        await using var connection = await _db.Database.OpenAsync();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version")).ToList();
        Assert.Equal(Migrator.Scripts().Select(s => s.Version), versions);
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public void Scripts_are_numbered_without_gaps() =>
        Assert.Equal(Enumerable.Range(1, Migrator.Scripts().Count).Select(i => (long)i), Migrator.Scripts().Select(s => s.Version));

    public void Dispose() => _db.Dispose();
}
