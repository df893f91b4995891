using System.Diagnostics;
using System.Globalization;
using System.Text;
using HelpBot.Benchmarks.E2e;
using HelpBot.Benchmarks.Support;
using HelpBot.Reports;
using HelpBot.Storage;
using Microsoft.Data.Sqlite;

namespace HelpBot.Benchmarks.Growth;

/// <summary>
/// <c>growth</c>: how cost grows with stored tickets. For each size: generate the database, time
/// <c>/stats month</c> (Statistics.ComputeAsync) and the CSV export (CsvExport.WriteAsync into a null
/// stream) with their memory, and optionally the e2e run against that database.
/// </summary>
public static class GrowthTable
{
    public static async Task<int> MainAsync(Options options)
    {
        var sizes = (options.String("sizes") ?? "1000,10000,100000,1000000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture))
            .ToArray();
        // The commune's own volume (about 3,300 questions a month): history grows backwards in time, so the
        // current month holds what a month really holds and only the stored past grows with the size.
        var perDay = options.Double("per-day", TicketGenerator.TicketsPerDay);
        var e2eQuestions = options.Int("e2e-questions", 0);
        var e2eUpTo = options.Int("e2e-up-to", 100_000);
        var json = options.String("json");
        var fromHead = options.Flag("from-head");
        options.ThrowOnUnknown();

        var rows = new List<GrowthRow>();
        foreach (var size in sizes)
        {
            var row = await MeasureAsync(size, perDay);
            if (e2eQuestions > 0 && size <= e2eUpTo)
            {
                await Console.Error.WriteLineAsync(F($"e2e: {e2eQuestions:N0} questions at once over {size:N0} stored tickets …"));
                var run = await LoadRun.RunAsync(new LoadSettings(e2eQuestions, 0, 4, size, TimeSpan.FromMinutes(10), SkipPublish: rows.Count > 0, PerfOutput: null, ServerGc: false, FromHead: fromHead));
                row = row with { E2e = run };
            }
            rows.Add(row);
            Print(rows);
        }
        if (json is not null)
        {
            await Report.WriteJsonAsync(json, new { Machine = ProcessProbe.Machine(), HelpBotInProcess = ProcessProbe.InProcessHelpBot(), HelpBotE2e = HelpBotApp.BuiltFrom, TicketsPerDay = perDay, Rows = rows });
            Console.WriteLine($"JSON written to {json}");
        }
        return 0;
    }

    public static async Task<int> GenerateAsync(Options options)
    {
        var tickets = options.Int("tickets", 100_000);
        var path = options.String("path") ?? throw new ArgumentException("--path is required.");
        var traffic = !options.Flag("no-traffic");
        var perDay = options.Double("per-day", TicketGenerator.TicketsPerDay);
        options.ThrowOnUnknown();
        if (File.Exists(path))
        {
            throw new ArgumentException($"{path} exists; give a new file.");
        }
        var generated = await TicketGenerator.CreateAsync(path, tickets, DateTimeOffset.UtcNow, traffic, TicketGenerator.DaysFor(tickets, perDay));
        Console.WriteLine(F($"{generated.Tickets:N0} tickets, {generated.Events:N0} events, {generated.Bytes / 1048576.0:0} MB in {generated.Elapsed.TotalSeconds:0.0} s: {path}"));
        return 0;
    }

    public static async Task<GrowthRow> MeasureAsync(int size, double perDay)
    {
        var dir = Directory.CreateTempSubdirectory("helpbot-growth-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            await Console.Error.WriteLineAsync(F($"Generating {size:N0} tickets ({perDay:0} a day) …"));
            // Traffic rows (inbox, links, outbox) only where they matter for an e2e run; at 1M the reports read tickets and events.
            var days = TicketGenerator.DaysFor(size, perDay);
            var generated = await TicketGenerator.CreateAsync(Path.Combine(dir, "helpbot.db"), size, now, withTraffic: size <= 100_000, days);
            await Console.Error.WriteLineAsync(F($"  {generated.Events:N0} events, {generated.Elapsed.TotalSeconds:0.0} s, {generated.Bytes / 1048576.0:0} MB"));
            await using var database = new Database($"Data Source={generated.Path}");
            if (!Periods.TryParse("month", now, out var month))
            {
                throw new InvalidOperationException("No 'month' period.");
            }

            // /stats month: the first call on a fresh connection, then the median of five more.
            var statsTimes = new List<double>();
            StatsReport? report = null;
            await using (var connection = await database.OpenAsync())
            {
                for (var i = 0; i < 6; i++)
                {
                    var sw = Stopwatch.StartNew();
                    report = await Statistics.ComputeAsync(connection, month, now);
                    statsTimes.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            var export = await ExportAsync(database);
            return new GrowthRow(size, generated.Events, generated.Elapsed.TotalSeconds, generated.Bytes, report!.Received,
                statsTimes[0], LatencySummary.Median(statsTimes.Skip(1)), export, null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            LoadRun.TryDelete(dir);
        }
    }

    /// <summary>The whole table as CSV into a stream that keeps nothing, sampling the managed heap as it goes.</summary>
    public static async Task<ExportFigures> ExportAsync(Database database)
    {
        ArgumentNullException.ThrowIfNull(database);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(false);
        var workingSetBefore = Environment.WorkingSet;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        long peakHeap = heapBefore, peakWorkingSet = workingSetBefore;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                await Task.Delay(5, CancellationToken.None);
            }
        });
        var sw = Stopwatch.StartNew();
        int rows;
        await using (var connection = await database.OpenAsync())
        await using (var writer = new StreamWriter(Stream.Null, new UTF8Encoding(true), 64 * 1024))
        {
            rows = await CsvExport.WriteAsync(connection, writer, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        }
        var elapsed = sw.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new ExportFigures(rows, elapsed.TotalMilliseconds, allocated, peakHeap - heapBefore, peakWorkingSet - workingSetBefore);
    }

    private static void Print(IReadOnlyList<GrowthRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"Growth table: /stats and export with HelpBot {ProcessProbe.InProcessHelpBot()}; e2e with {HelpBotApp.BuiltFrom}");
        Console.WriteLine($"Machine: {ProcessProbe.Machine()}; load average: {ProcessProbe.LoadAverage():0.00}");
        Report.PrintTable(
            ["stored tickets", "events", "db MB", "gen s", "month rows", "/stats month 1st / median ms", "export ms", "export rows/s", "alloc MB", "peak heap +MB", "peak WS +MB", "e2e t/s", "e2e CPU ms/t", "e2e p99 ms"],
            rows.Select(r => new[]
            {
                F($"{r.Tickets:N0}"), F($"{r.Events:N0}"), F($"{r.DatabaseBytes / 1048576.0:0}"), F($"{r.GenerationSeconds:0.0}"),
                F($"{r.MonthTickets:N0}"), F($"{r.StatsFirstMs:0.0} / {r.StatsMedianMs:0.0}"),
                F($"{r.Export.Milliseconds:N0}"), F($"{r.Export.Rows / (r.Export.Milliseconds / 1000):N0}"),
                F($"{r.Export.AllocatedBytes / 1048576.0:0}"), F($"{r.Export.PeakHeapGrowthBytes / 1048576.0:0.0}"), F($"{r.Export.PeakWorkingSetGrowthBytes / 1048576.0:0.0}"),
                r.E2e is { } e ? F($"{e.TicketsPerSecond:N0}") : "-",
                r.E2e is { } c ? F($"{c.HelpBotCpuMsPerTicket:0.00}") : "-",
                r.E2e is { } p ? F($"{p.QuestionToAnswerMs.P99:0}") : "-",
            }).ToList());
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

public sealed record ExportFigures(int Rows, double Milliseconds, long AllocatedBytes, long PeakHeapGrowthBytes, long PeakWorkingSetGrowthBytes);

public sealed record GrowthRow(
    int Tickets,
    long Events,
    double GenerationSeconds,
    long DatabaseBytes,
    long MonthTickets,
    double StatsFirstMs,
    double StatsMedianMs,
    ExportFigures Export,
    LoadResult? E2e);
