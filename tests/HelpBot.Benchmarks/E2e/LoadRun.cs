using System.Diagnostics;
using System.Globalization;
using HelpBot.Benchmarks.Growth;
using HelpBot.Benchmarks.Support;

namespace HelpBot.Benchmarks.E2e;

/// <summary>Settings of one end-to-end run.</summary>
public sealed record LoadSettings(
    int Questions,
    double Rate,
    int Staff,
    int ExistingTickets,
    TimeSpan Timeout,
    bool SkipPublish,
    string? PerfOutput,
    bool ServerGc,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool FromHead = false,
    string? Dll = null,
    bool AppHost = false);

/// <summary>
/// <c>e2e</c>: the real HelpBot (published Release build, child process, SQLite file on disk) against the fake
/// Bot API, N questions offered at once or at a fixed rate, K staff members answering every card.
/// </summary>
public static class LoadRun
{
    public const string Token = "7000000001:BENCH-TOKEN-not-a-secret";

    public static async Task<int> MainAsync(Options options)
    {
        var settings = new LoadSettings(
            options.Int("questions", 5000),
            options.Double("rate", 0),
            options.Int("staff", 4),
            options.Int("existing", 0),
            TimeSpan.FromSeconds(options.Int("timeout", 600)),
            options.Flag("no-publish"),
            options.String("perf"),
            options.Flag("server-gc"),
            ParseEnvironment(options.String("env")),
            options.Flag("from-head"),
            options.String("dll"),
            options.Flag("apphost"));
        var json = options.String("json");
        options.ThrowOnUnknown();

        var result = await RunAsync(settings);
        Report.PrintLoad(result);
        if (json is not null)
        {
            await Report.WriteJsonAsync(json, result);
            Console.WriteLine($"JSON written to {json}");
        }
        return result.Complete == result.Questions ? 0 : 1;
    }

    public static async Task<LoadResult> RunAsync(LoadSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var dll = s.Dll is not null ? Path.GetFullPath(s.Dll) : await HelpBotApp.PublishAsync(skipIfPresent: s.SkipPublish, fromHead: s.FromHead);
        var workDir = Directory.CreateTempSubdirectory("helpbot-e2e-").FullName;
        var dbPath = Path.Combine(workDir, "helpbot.db");
        try
        {
            if (s.ExistingTickets > 0)
            {
                var seeded = Stopwatch.StartNew();
                await TicketGenerator.CreateAsync(dbPath, s.ExistingTickets, DateTimeOffset.UtcNow, withTraffic: true, TicketGenerator.DaysFor(s.ExistingTickets));
                await Console.Error.WriteLineAsync(FormattableString.Invariant($"Seeded {s.ExistingTickets:N0} existing tickets in {seeded.Elapsed.TotalSeconds:0.0} s"));
            }
            await using var api = await FastBotApi.StartAsync(Token);
            await api.WarmUpAsync();
            if (api.PendingCount != 0)
            {
                throw new InvalidOperationException("The warm-up left updates behind.");
            }
            var scenario = new TicketScenario(api, s.Questions, s.Staff);
            api.Observer = scenario;

            var environment = new Dictionary<string, string>();
            if (s.PerfOutput is not null)
            {
                // perf resolves JIT-compiled frames through /tmp/perf-<pid>.map.
                environment["DOTNET_PerfMapEnabled"] = "1";
                // Without W^X double mapping, JIT-compiled code lives where the perf map says it does.
                environment["DOTNET_EnableWriteXorExecute"] = "0";
            }
            if (s.ServerGc)
            {
                environment["DOTNET_gcServer"] = "1";
            }
            foreach (var (key, value) in s.Environment ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }
            var loadBefore = ProcessProbe.LoadAverage();
            await using var app = HelpBotApp.Start(dll, HelpBotApp.Settings(Token, api.BaseUrl, api.Chats, dbPath), workDir, environment, s.AppHost || s.Dll is null);
            await WaitAsync(api.FirstGetUpdates.Task, TimeSpan.FromSeconds(60), app, "HelpBot's first getUpdates");
            var startup = Clock.SecondsBetween(app.LaunchedAt, api.FirstCallAt(BotMethod.GetUpdates));

            var helpBotBefore = ProcessProbe.Cpu(app.Pid);
            var fakeBefore = ProcessProbe.Self();
            using var perf = s.PerfOutput is null ? null : PerfRecorder.Start(app.Pid, s.PerfOutput);
            var deadline = Stopwatch.GetTimestamp() + (long)(s.Timeout.TotalSeconds * Stopwatch.Frequency);

            var offering = s.Rate > 0 ? OfferAtRateAsync(scenario, s.Rate, deadline) : OfferAllAsync(scenario);
            var timedOut = !await WaitWithProgressAsync(scenario, app, deadline);
            await offering;
            // The tail: the card edits that follow each answer are HelpBot's work too; wait for them, bounded.
            var drainStart = Stopwatch.GetTimestamp();
            while (!app.HasExited && scenario.CardEdits < scenario.Answered && Clock.SecondsBetween(drainStart, Stopwatch.GetTimestamp()) < 30)
            {
                await Task.Delay(20);
            }
            var drained = Stopwatch.GetTimestamp();
            perf?.Stop();

            if (app.HasExited)
            {
                throw new InvalidOperationException($"HelpBot exited during the run; see {app.LogPath}");
            }
            var helpBotAfter = ProcessProbe.Cpu(app.Pid);
            var fakeAfter = ProcessProbe.Self();
            var peakRss = ProcessProbe.StatusBytes(app.Pid, "VmHWM");
            var rss = ProcessProbe.StatusBytes(app.Pid, "VmRSS");
            // What the resident memory is: anonymous (GC heap, native heaps, JIT code, SQLite caches) or mapped files (DLLs).
            var rssAnon = ProcessProbe.StatusBytes(app.Pid, "RssAnon");
            var rssFile = ProcessProbe.StatusBytes(app.Pid, "RssFile");
            var rssShmem = ProcessProbe.StatusBytes(app.Pid, "RssShmem");
            var dbBytes = FileSize(dbPath);
            var walBytes = FileSize(dbPath + "-wal");
            var logLevels = app.LogLevels();
            var calls = api.CallCounts();
            await app.DisposeAsync();
            KeepLog(app.LogPath);

            var complete = scenario.Completed().ToList();
            var answerLatency = complete.Select(c => Clock.MillisecondsBetween(c.OfferedAt, c.AnsweredAt)).ToList();
            var cardLatency = complete.Where(c => c.CardAt != 0).Select(c => Clock.MillisecondsBetween(c.OfferedAt, c.CardAt)).ToList();
            // Where a ticket's time goes, for all of them and for the slowest 1 %: is a slow answer HelpBot's work or a wait?
            var staged = complete.Where(c => c.QuestionDeliveredAt != 0 && c.CardAt != 0 && c.ReplyDeliveredAt != 0).ToList();
            var slowest = staged.OrderByDescending(c => c.AnsweredAt - c.OfferedAt).Take(Math.Max(1, staged.Count / 100)).ToList();
            var first = scenario.FirstOfferedAt;
            var last = scenario.LastAnsweredAt;
            var window = complete.Count > 0 ? Clock.SecondsBetween(first, last) : double.NaN;
            var loadCpu = helpBotAfter - helpBotBefore;

            // At a fixed rate: the first minute after start-up, and the rest, apart.
            var minuteMark = app.LaunchedAt + 60 * Stopwatch.Frequency;
            LatencySummary? firstMinute = null, afterFirstMinute = null;
            var windows = new List<LatencyWindow>();
            if (s.Rate > 0)
            {
                // Ten-second windows since launch: is a slow tail warm-up, or does it come back?
                foreach (var group in complete.GroupBy(c => (int)(Clock.SecondsBetween(app.LaunchedAt, c.OfferedAt) / 10)).OrderBy(g => g.Key))
                {
                    windows.Add(new LatencyWindow(group.Key * 10, LatencySummary.Of(group.Select(c => Clock.MillisecondsBetween(c.OfferedAt, c.AnsweredAt)))));
                }
                firstMinute = LatencySummary.Of(complete.Where(c => c.OfferedAt < minuteMark).Select(c => Clock.MillisecondsBetween(c.OfferedAt, c.AnsweredAt)));
                afterFirstMinute = LatencySummary.Of(complete.Where(c => c.OfferedAt >= minuteMark).Select(c => Clock.MillisecondsBetween(c.OfferedAt, c.AnsweredAt)));
            }

            return new LoadResult
            {
                Machine = ProcessProbe.Machine(),
                HelpBotVersion = s.Dll is null ? HelpBotApp.BuiltFrom : $"{dll}{(s.AppHost ? " via apphost" : "")}",
                LoadAverageBefore = loadBefore,
                StartedUtc = DateTimeOffset.UtcNow,
                Questions = s.Questions,
                Rate = s.Rate,
                Staff = s.Staff,
                ExistingTickets = s.ExistingTickets,
                ServerGc = s.ServerGc,
                Environment = s.Environment ?? new Dictionary<string, string>(),
                TimedOut = timedOut,
                Offered = scenario.Offered,
                Complete = complete.Count,
                Acks = scenario.Acks,
                Cards = scenario.Cards,
                CardEdits = scenario.CardEdits,
                OtherStaffMessages = scenario.OtherStaffMessages,
                UnmatchedCitizenMessages = scenario.Unmatched,
                WindowSeconds = window,
                TicketsPerSecond = complete.Count / window,
                QuestionToAnswerMs = LatencySummary.Of(answerLatency),
                QuestionToCardMs = LatencySummary.Of(cardLatency),
                StagesMeanMs = TicketStages.Of(staged),
                SlowestPercentStagesMeanMs = TicketStages.Of(slowest),
                FirstMinuteQuestionToAnswerMs = firstMinute,
                AfterFirstMinuteQuestionToAnswerMs = afterFirstMinute,
                QuestionToAnswerByWindow = windows,
                StartupSeconds = startup,
                DrainSeconds = Clock.SecondsBetween(last == 0 ? drainStart : Math.Max(last, drainStart), drained),
                HelpBotCpuSeconds = helpBotAfter.TotalSeconds,
                HelpBotLoadCpuSeconds = loadCpu.TotalSeconds,
                HelpBotLoadUserSeconds = loadCpu.UserSeconds,
                HelpBotLoadSystemSeconds = loadCpu.SystemSeconds,
                HelpBotCpuMsPerTicket = complete.Count == 0 ? double.NaN : loadCpu.TotalSeconds * 1000 / complete.Count,
                HelpBotWholeProcessCpuMsPerTicket = complete.Count == 0 ? double.NaN : helpBotAfter.TotalSeconds * 1000 / complete.Count,
                HelpBotPeakRssBytes = peakRss,
                HelpBotFinalRssBytes = rss,
                HelpBotFinalRssAnonBytes = rssAnon,
                HelpBotFinalRssFileBytes = rssFile,
                HelpBotFinalRssShmemBytes = rssShmem,
                FakeServerCpuSeconds = (fakeAfter - fakeBefore).TotalSeconds,
                DatabaseBytes = dbBytes,
                WalBytes = walBytes,
                HelpBotLogLevels = logLevels,
                BotApiCalls = calls,
                PerfData = s.PerfOutput,
            };
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    /// <summary>"--env DOTNET_TieredPGO=0,DOTNET_TC_QuickJitForLoops=1": extra environment for HelpBot, for experiments.</summary>
    public static Dictionary<string, string>? ParseEnvironment(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    private static Task OfferAllAsync(TicketScenario scenario)
    {
        scenario.Offer(0, scenario.Count);
        return Task.CompletedTask;
    }

    /// <summary>One question every 1/rate seconds on an absolute schedule, so a late tick does not shift the rest.</summary>
    private static async Task OfferAtRateAsync(TicketScenario scenario, double rate, long deadline)
    {
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / rate;
        for (var i = 0; i < scenario.Count && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var due = start + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }
            scenario.Offer(i, 1);
        }
    }

    private static async Task<bool> WaitWithProgressAsync(TicketScenario scenario, HelpBotApp app, long deadline)
    {
        var lastReport = Stopwatch.GetTimestamp();
        while (!scenario.AllAnswered.IsCompleted)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0 || app.HasExited)
            {
                return false;
            }
            await Task.WhenAny(scenario.AllAnswered, Task.Delay(TimeSpan.FromSeconds(Math.Min(1.0, remaining / (double)Stopwatch.Frequency))));
            if (Clock.SecondsBetween(lastReport, Stopwatch.GetTimestamp()) >= 5)
            {
                lastReport = Stopwatch.GetTimestamp();
                await Console.Error.WriteLineAsync(FormattableString.Invariant(
                    $"  … offered {scenario.Offered}, cards {scenario.Cards}, acks {scenario.Acks}, answered {scenario.Answered}, card edits {scenario.CardEdits}"));
            }
        }
        return true;
    }

    internal static async Task WaitAsync(Task task, TimeSpan timeout, HelpBotApp app, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!task.IsCompleted)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"HelpBot exited before {what}; see its log:\n{ReadTail(app.LogPath)}");
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"No {what} within {timeout.TotalSeconds} s; log:\n{ReadTail(app.LogPath)}");
            }
            await Task.WhenAny(task, Task.Delay(50));
        }
    }

    public static string ReadTail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException ex)
        {
            return $"(no log: {ex.Message})";
        }
    }

    /// <summary>HelpBot's log of the last run stays beside the published build for a look after the temp folder is gone.</summary>
    private static void KeepLog(string log)
    {
        if (File.Exists(log))
        {
            File.Copy(log, Path.Combine(HelpBotApp.RepositoryRoot(), "tests", "HelpBot.Benchmarks", "bin", "last-e2e-helpbot.log"), overwrite: true);
        }
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }

    public static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>
/// A ticket's time in four legs, mean milliseconds: question waiting for a getUpdates answer; HelpBot from that answer
/// to the card (inbox commit, outbox, send); the staff reply waiting for a getUpdates answer; HelpBot from that answer to
/// the citizen's answer. The legs add up to question → answer.
/// </summary>
public sealed record TicketStages(int Count, double QuestionPoll, double ToCard, double ReplyPoll, double ToAnswer)
{
    public static TicketStages? Of(IReadOnlyCollection<CompletedTicket> tickets) =>
        tickets.Count == 0 ? null : new TicketStages(
            tickets.Count,
            tickets.Average(c => Clock.MillisecondsBetween(c.OfferedAt, c.QuestionDeliveredAt)),
            tickets.Average(c => Clock.MillisecondsBetween(c.QuestionDeliveredAt, c.CardAt)),
            tickets.Average(c => Clock.MillisecondsBetween(c.CardAt, c.ReplyDeliveredAt)),
            tickets.Average(c => Clock.MillisecondsBetween(c.ReplyDeliveredAt, c.AnsweredAt)));

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"poll {QuestionPoll:0.0} + card {ToCard:0.0} + reply poll {ReplyPoll:0.0} + answer {ToAnswer:0.0} ms (n={Count})");
}

/// <summary>Latency of the questions offered in [FromSecond, FromSecond + 10) after launch.</summary>
public sealed record LatencyWindow(int FromSecond, LatencySummary QuestionToAnswerMs);

/// <summary>Everything one e2e run measured; written as JSON as it is.</summary>
public sealed record LoadResult
{
    public string Machine { get; init; } = "";
    public string HelpBotVersion { get; init; } = "";
    public double LoadAverageBefore { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    public int Questions { get; init; }
    public double Rate { get; init; }
    public int Staff { get; init; }
    public int ExistingTickets { get; init; }
    public bool ServerGc { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public bool TimedOut { get; init; }
    public int Offered { get; init; }
    public int Complete { get; init; }
    public int Acks { get; init; }
    public int Cards { get; init; }
    public int CardEdits { get; init; }
    public int OtherStaffMessages { get; init; }
    public int UnmatchedCitizenMessages { get; init; }
    public double WindowSeconds { get; init; }
    public double TicketsPerSecond { get; init; }
    public required LatencySummary QuestionToAnswerMs { get; init; }
    public required LatencySummary QuestionToCardMs { get; init; }
    public TicketStages? StagesMeanMs { get; init; }
    public TicketStages? SlowestPercentStagesMeanMs { get; init; }
    public LatencySummary? FirstMinuteQuestionToAnswerMs { get; init; }
    public LatencySummary? AfterFirstMinuteQuestionToAnswerMs { get; init; }
    public IReadOnlyList<LatencyWindow> QuestionToAnswerByWindow { get; init; } = [];
    public double StartupSeconds { get; init; }
    public double DrainSeconds { get; init; }
    public double HelpBotCpuSeconds { get; init; }
    public double HelpBotLoadCpuSeconds { get; init; }
    public double HelpBotLoadUserSeconds { get; init; }
    public double HelpBotLoadSystemSeconds { get; init; }
    public double HelpBotCpuMsPerTicket { get; init; }
    public double HelpBotWholeProcessCpuMsPerTicket { get; init; }
    public long HelpBotPeakRssBytes { get; init; }
    public long HelpBotFinalRssBytes { get; init; }
    public long HelpBotFinalRssAnonBytes { get; init; }
    public long HelpBotFinalRssFileBytes { get; init; }
    /// <summary>Shared memory: mostly the JIT's W^X double-mapped code, and SQLite's -shm index.</summary>
    public long HelpBotFinalRssShmemBytes { get; init; }
    public double FakeServerCpuSeconds { get; init; }
    public long DatabaseBytes { get; init; }
    public long WalBytes { get; init; }
    public IReadOnlyDictionary<string, int> HelpBotLogLevels { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> BotApiCalls { get; init; } = new Dictionary<string, int>();
    public string? PerfData { get; init; }
}
