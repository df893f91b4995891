using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HelpBot.Benchmarks.E2e;

namespace HelpBot.Benchmarks.Support;

/// <summary>Readable tables on the console, and the same figures as JSON.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static async Task WriteJsonAsync<T>(string path, T value)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var stream = File.Create(full);
        await JsonSerializer.SerializeAsync(stream, value, Json);
    }

    public static void PrintLoad(LoadResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var mode = r.Rate > 0 ? F($"at {r.Rate:0.#}/s") : "all at once";
        Console.WriteLine();
        Console.WriteLine(F($"HelpBot e2e: {r.Questions:N0} questions {mode}, {r.Staff} staff, {r.ExistingTickets:N0} tickets already stored{(r.TimedOut ? " (TIMED OUT)" : "")}"));
        if (r.ServerGc || r.Environment.Count > 0)
        {
            Console.WriteLine($"HelpBot environment: {(r.ServerGc ? "server GC " : "")}{string.Join(" ", r.Environment.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }
        Console.WriteLine($"HelpBot {r.HelpBotVersion}, published Release, workstation GC as in the Dockerfile. Machine: {r.Machine}; load average before: {r.LoadAverageBefore:0.00}");
        var rows = new List<(string, string, string, string)>
        {
            ("complete tickets", F($"{r.Complete:N0} / {r.Questions:N0}"), "", r.Complete == r.Questions ? "" : "INCOMPLETE"),
            ("tickets/s (first offer → last answer)", F($"{r.TicketsPerSecond:N0} over {r.WindowSeconds:0.00} s"), r.Rate > 0 ? "" : "≥ 1,000", r.Rate > 0 ? "" : Verdict(r.TicketsPerSecond >= 1000)),
            ("question → answer p50 / p95 / p99", Ms(r.QuestionToAnswerMs), r.Rate > 0 ? "p99 ≤ 10 ms" : "", r.Rate > 0 ? Verdict(r.QuestionToAnswerMs.P99 <= 10) : ""),
            ("question → card p50 / p99", F($"{r.QuestionToCardMs.P50:0.0} / {r.QuestionToCardMs.P99:0.0} ms"), "", ""),
        };
        if (r.StagesMeanMs is { } stages)
        {
            rows.Add(("  where the time goes, mean (all)", stages.ToString(), "", ""));
        }
        if (r.SlowestPercentStagesMeanMs is { } slowest)
        {
            rows.Add(("  where the time goes, mean (slowest 1 %)", slowest.ToString(), "", ""));
        }
        if (r.FirstMinuteQuestionToAnswerMs is { } firstMinute)
        {
            rows.Add(("  first minute after launch", Ms(firstMinute) + F($" (n={firstMinute.Count})"), "", ""));
        }
        if (r.AfterFirstMinuteQuestionToAnswerMs is { Count: > 0 } rest)
        {
            rows.Add(("  after the first minute", Ms(rest) + F($" (n={rest.Count})"), "", ""));
        }
        foreach (var w in r.QuestionToAnswerByWindow)
        {
            rows.Add((F($"    offered {w.FromSecond}–{w.FromSecond + 10} s after launch"), Ms(w.QuestionToAnswerMs) + F($" (n={w.QuestionToAnswerMs.Count})"), "", ""));
        }
        rows.AddRange(
        [
            ("HelpBot CPU in the load window (user+sys)", F($"{r.HelpBotLoadCpuSeconds:0.00} s ({r.HelpBotLoadUserSeconds:0.00} + {r.HelpBotLoadSystemSeconds:0.00})"), "", ""),
            ("HelpBot CPU per complete ticket", F($"{r.HelpBotCpuMsPerTicket:0.000} ms"), "≤ 1.5 ms", Verdict(r.HelpBotCpuMsPerTicket <= 1.5)),
            ("  incl. start-up (whole process)", F($"{r.HelpBotWholeProcessCpuMsPerTicket:0.000} ms ({r.HelpBotCpuSeconds:0.00} s)"), "", ""),
            ("HelpBot peak RSS (VmHWM)", MiB(r.HelpBotPeakRssBytes) + $" (at end {MiB(r.HelpBotFinalRssBytes)}: anon {MiB(r.HelpBotFinalRssAnonBytes)}, files {MiB(r.HelpBotFinalRssFileBytes)}, shared {MiB(r.HelpBotFinalRssShmemBytes)})", "≤ 100 MiB", Verdict(r.HelpBotPeakRssBytes <= 100L * 1024 * 1024)),
            ("fake server + driver CPU", F($"{r.FakeServerCpuSeconds:0.00} s"), "", ""),
            ("database (file + WAL)", $"{MiB(r.DatabaseBytes + r.WalBytes)} ({MiB(r.DatabaseBytes)} + {MiB(r.WalBytes)})", "", ""),
            ("launch → first getUpdates", F($"{r.StartupSeconds:0.000} s"), "≤ 0.3 s", Verdict(r.StartupSeconds <= 0.3)),
            ("tail after last answer (card edits)", F($"{r.DrainSeconds:0.00} s"), "", ""),
            ("messages: acks / cards / card edits / other staff / unmatched", F($"{r.Acks} / {r.Cards} / {r.CardEdits} / {r.OtherStaffMessages} / {r.UnmatchedCitizenMessages}"), "", ""),
            ("HelpBot log lines by level", string.Join(", ", r.HelpBotLogLevels.Select(kv => $"{kv.Key} {kv.Value}")), "", ""),
            ("Bot API calls", string.Join(", ", r.BotApiCalls.Select(kv => $"{kv.Key} {kv.Value}")), "", ""),
        ]);
        PrintTable(["metric", "value", "target", ""], rows.Select(r => new[] { r.Item1, r.Item2, r.Item3, r.Item4 }).ToList());
    }

    public static void PrintTable(string[] header, IReadOnlyList<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        Console.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    public static string Verdict(bool met) => met ? "met" : "MISSED";

    public static string Ms(LatencySummary l) =>
        l.Count == 0 ? "n/a" : F($"{l.P50:0.0} / {l.P95:0.0} / {l.P99:0.0} ms (max {l.Max:0.0})");

    public static string MiB(long bytes) => F($"{bytes / 1024.0 / 1024.0:0.0} MiB");

    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
