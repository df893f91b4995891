using System.Diagnostics;
using HelpBot.Benchmarks.Support;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// <c>startup</c>: launch of the published Release build (its apphost, as the Docker image runs it) to its first getUpdates,
/// over several runs. The first run creates the database (migrations); the others start on the existing
/// file, as a restart does. Each phase is timed by the first call the fake server sees.
/// </summary>
public static class StartupRun
{
    public static async Task<int> MainAsync(Options options)
    {
        var runs = options.Int("runs", 10);
        var skipPublish = options.Flag("no-publish");
        var fromHead = options.Flag("from-head");
        var environment = LoadRun.ParseEnvironment(options.String("env"));
        // Experiments: an already-published HelpBot.dll (e.g. framework-dependent), through `dotnet` unless --apphost.
        var givenDll = options.String("dll");
        var apphost = givenDll is null || options.Flag("apphost");
        var json = options.String("json");
        options.ThrowOnUnknown();

        var dll = givenDll is not null ? Path.GetFullPath(givenDll) : await HelpBotApp.PublishAsync(skipPublish, fromHead);
        var workDir = Directory.CreateTempSubdirectory("helpbot-startup-").FullName;
        var samples = new List<StartupSample>();
        try
        {
            for (var i = 0; i <= runs; i++)
            {
                samples.Add(await OnceAsync(dll, workDir, environment, apphost));
                await Console.Error.WriteLineAsync(Report.F($"  run {i}: {samples[^1].FirstGetUpdatesSeconds:0.000} s"));
            }
        }
        finally
        {
            LoadRun.TryDelete(workDir);
        }

        var warm = samples.Skip(1).ToList();
        Console.WriteLine();
        Console.WriteLine(Report.F($"HelpBot start-up: launch → first getUpdates, {(givenDll is null ? "published Release (Native AOT)" : dll)}{(apphost ? " via apphost" : "")}, {runs} runs on an existing database (+1 creating it)"));
        if (environment is { Count: > 0 })
        {
            Console.WriteLine($"HelpBot environment: {string.Join(" ", environment.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }
        Console.WriteLine($"HelpBot {HelpBotApp.BuiltFrom}. Machine: {ProcessProbe.Machine()}; load average: {ProcessProbe.LoadAverage():0.00}");
        Report.PrintTable(["phase (launch → first …)", "median s", "min s", "max s", "first run, new database"],
        [
            Row("getMe (runtime, host build, migrations, hosted services)", warm.Select(s => s.GetMeSeconds), samples[0].GetMeSeconds),
            Row("deleteWebhook", warm.Select(s => s.DeleteWebhookSeconds), samples[0].DeleteWebhookSeconds),
            Row("setMyCommands", warm.Select(s => s.SetMyCommandsSeconds), samples[0].SetMyCommandsSeconds),
            Row("getUpdates", warm.Select(s => s.FirstGetUpdatesSeconds), samples[0].FirstGetUpdatesSeconds),
            Row("CPU time used by then (user+sys)", warm.Select(s => s.CpuSeconds), samples[0].CpuSeconds),
        ]);
        var median = LatencySummary.Median(warm.Select(s => s.FirstGetUpdatesSeconds));
        Console.WriteLine(Report.F($"Target ≤ 0.3 s: {Report.Verdict(median <= 0.3)} (median {median:0.000} s)"));
        if (json is not null)
        {
            await Report.WriteJsonAsync(json, new { Machine = ProcessProbe.Machine(), HelpBotVersion = HelpBotApp.BuiltFrom, AppHost = apphost, Environment = environment, MedianSeconds = median, Samples = samples });
            Console.WriteLine($"JSON written to {json}");
        }
        return 0;
    }

    private static string[] Row(string name, IEnumerable<double> warm, double first)
    {
        var l = LatencySummary.Of(warm);
        return [name, Report.F($"{l.P50:0.000}"), Report.F($"{warm.Min():0.000}"), Report.F($"{l.Max:0.000}"), Report.F($"{first:0.000}")];
    }

    private static async Task<StartupSample> OnceAsync(string dll, string workDir, IReadOnlyDictionary<string, string>? environment, bool apphost)
    {
        await using var api = await FastBotApi.StartAsync(LoadRun.Token);
        var settings = HelpBotApp.Settings(LoadRun.Token, api.BaseUrl, api.Chats, Path.Combine(workDir, "helpbot.db"));
        await using var app = HelpBotApp.Start(dll, settings, workDir, environment, apphost);
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (!api.FirstGetUpdates.Task.IsCompleted)
        {
            if (app.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"HelpBot did not reach getUpdates:\n{LoadRun.ReadTail(app.LogPath)}");
            }
            await Task.WhenAny(api.FirstGetUpdates.Task, Task.Delay(20));
        }
        var cpu = ProcessProbe.Cpu(app.Pid);
        double Since(BotMethod m) => Clock.SecondsBetween(app.LaunchedAt, api.FirstCallAt(m));
        return new StartupSample(Since(BotMethod.GetMe), Since(BotMethod.DeleteWebhook), Since(BotMethod.SetMyCommands), Since(BotMethod.GetUpdates), cpu.TotalSeconds);
    }
}

public sealed record StartupSample(double GetMeSeconds, double DeleteWebhookSeconds, double SetMyCommandsSeconds, double FirstGetUpdatesSeconds, double CpuSeconds);
