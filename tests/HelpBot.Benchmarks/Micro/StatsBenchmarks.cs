using BenchmarkDotNet.Attributes;
using HelpBot.Benchmarks.Growth;
using HelpBot.Reports;
using HelpBot.Storage;
using Microsoft.Data.Sqlite;

namespace HelpBot.Benchmarks.Micro;

/// <summary><c>/stats month</c>: Statistics.ComputeAsync over generated tickets, about 3,300 a month going back in time.</summary>
[MemoryDiagnoser]
public class StatsBenchmarks
{
    private string _dir = "";
    private SqliteConnection _connection = null!;
    private ReportPeriod _month = null!;
    private DateTimeOffset _now;

    [Params(10_000, 100_000)]
    public int Tickets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("helpbot-micro-stats-").FullName;
        _now = DateTimeOffset.UtcNow;
        var path = Path.Combine(_dir, "helpbot.db");
        TicketGenerator.CreateAsync(path, Tickets, _now, withTraffic: false, TicketGenerator.DaysFor(Tickets)).GetAwaiter().GetResult();
        _connection = new Database($"Data Source={path}").OpenAsync().GetAwaiter().GetResult();
        if (!Periods.TryParse("month", _now, out var month))
        {
            throw new InvalidOperationException("No 'month' period.");
        }
        _month = month;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public Task<StatsReport> StatsMonth() => Statistics.ComputeAsync(_connection, _month, _now);
}
