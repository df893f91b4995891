using System.Diagnostics;
using System.Globalization;
using HelpBot.Benchmarks.Support;
using Microsoft.Data.Sqlite;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// <c>native</c>: the published native HelpBot against the fake Bot API, fed one update of each kind a real Telegram
/// sends (<see cref="SmokeScenario"/>). The test suite runs on the JIT and cannot see what only the native build fails to
/// read (Telegram.Bot's polymorphic converters, trimmed metadata); there, an unreadable update is skipped and a citizen
/// goes unheard. Fails when a reaction is missing or HelpBot's log holds an error or an unreadable update.
/// </summary>
public static class NativeSmokeRun
{
    /// <summary>Anywhere in the log: the native runtime lacking what reflection wanted.</summary>
    private static readonly string[] Alarms = ["is missing native code or metadata", "NotSupportedException"];
    /// <summary>In a warning: an update HelpBot could not read.</summary>
    private static readonly string[] WarningAlarms = ["unreadable", "malformed", "skipped"];

    public static async Task<int> MainAsync(Options options)
    {
        var skipPublish = options.Flag("no-publish");
        var fromHead = options.Flag("from-head");
        // Another build (e.g. `dotnet build` output, run on the JIT through `dotnet`) to compare with.
        var givenDll = options.String("dll");
        var apphost = givenDll is null || options.Flag("apphost");
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 60));
        options.ThrowOnUnknown();

        var dll = givenDll is not null ? Path.GetFullPath(givenDll) : await HelpBotApp.PublishAsync(skipPublish, fromHead);
        var workDir = Directory.CreateTempSubdirectory("helpbot-native-").FullName;
        var dbPath = Path.Combine(workDir, "helpbot.db");
        try
        {
            await using var api = await FastBotApi.StartAsync(LoadRun.Token);
            var settings = HelpBotApp.Settings(LoadRun.Token, api.BaseUrl, api.Chats, dbPath);
            // The poller names at debug level each update it read and let go: the evidence that it was read at all.
            settings["Logging:LogLevel:HelpBot.Channels.Telegram.TelegramPoller"] = "Debug";
            await using var app = HelpBotApp.Start(dll, settings, workDir, apphost: apphost);
            await LoadRun.WaitAsync(api.FirstGetUpdates.Task, TimeSpan.FromSeconds(60), app, "HelpBot's first getUpdates");

            var scenario = new SmokeScenario(api, api.AllowedUpdates);
            api.Observer = scenario;
            scenario.Offer();
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            // Settled: every update acknowledged (HelpBot's offset passed the last one) and every reaction arrived.
            while (!(scenario.Claim is not null && api.PendingCount == 0 && Judge(scenario, api, ReadLog(app.LogPath), inbox: null).All(v => v.Ok)))
            {
                if (app.HasExited || Stopwatch.GetTimestamp() > deadline)
                {
                    break;
                }
                await Task.Delay(100);
            }
            var acknowledged = api.PendingCount == 0;
            var exited = app.HasExited;
            var calls = api.CallCounts();
            await app.DisposeAsync();

            var log = ReadLog(app.LogPath);
            File.Copy(app.LogPath, Path.Combine(HelpBotApp.RepositoryRoot(), "tests", "HelpBot.Benchmarks", "bin", "last-native-helpbot.log"), overwrite: true);
            var verdicts = Judge(scenario, api, log, ReadInbox(dbPath));
            var problems = log.Where(IsAlarming).ToList();

            Console.WriteLine();
            Console.WriteLine($"HelpBot native smoke: {(givenDll is null ? $"published Release (Native AOT), {HelpBotApp.BuiltFrom}" : dll)}");
            Console.WriteLine($"allowed_updates asked for: {string.Join(", ", api.AllowedUpdates ?? ["(Telegram's default)"])}; not sent, not asked for: {string.Join(", ", scenario.NotSent)}");
            Report.PrintTable(["update", "kind", "expected", "outcome", ""],
                verdicts.Select(v => new[]
                {
                    v.Case.UpdateId == 0 ? "-" : v.Case.UpdateId.ToString(CultureInfo.InvariantCulture), v.Case.Kind, Expected(v.Case), v.Outcome, v.Ok ? "ok" : "FAIL",
                }).ToList());
            Console.WriteLine($"Bot API calls: {string.Join(", ", calls.Select(kv => $"{kv.Key} {kv.Value}"))}");
            Console.WriteLine($"Every update acknowledged (getUpdates offset past the last): {(acknowledged ? "yes" : "NO")}{(exited ? "; HELPBOT EXITED during the run" : "")}");
            Console.WriteLine(problems.Count == 0
                ? "HelpBot log: no fail/crit lines, no unreadable update, nothing missing from the native build."
                : $"HelpBot log: {problems.Count} alarming line(s):\n  " + string.Join("\n  ", problems.Take(20)));
            // The published build must be the native one with its built-in 6 MiB gen-0 budget (HelpBot.csproj's IlcArg): an SDK
            // that stopped passing it on would cost about 9 MiB at the peak, silently. (On a CPU with a small L3 cache the GC's
            // own choice is 6 MiB too, and this cannot tell.)
            var runtime = log.FirstOrDefault(l => l.Contains(" Runtime: ", StringComparison.Ordinal)) is { } line
                ? line[(line.IndexOf(" Runtime: ", StringComparison.Ordinal) + " Runtime: ".Length)..]
                : null;
            var runtimeOk = givenDll is not null
                || (runtime is not null && runtime.Contains("Native AOT", StringComparison.Ordinal)
                    && runtime.EndsWith("gen-0 budget up to 6 MiB", StringComparison.Ordinal));
            Console.WriteLine($"HelpBot runtime: {runtime ?? "NO start-up line"}{(runtimeOk ? "" : " (expected: Native AOT, gen-0 budget up to 6 MiB)")}");
            var passed = acknowledged && !exited && problems.Count == 0 && verdicts.All(v => v.Ok) && runtimeOk;
            Console.WriteLine($"Native smoke: {(passed ? "passed" : "FAILED")} (HelpBot's log: tests/HelpBot.Benchmarks/bin/last-native-helpbot.log)");
            return passed ? 0 : 1;
        }
        finally
        {
            LoadRun.TryDelete(workDir);
        }
    }

    private sealed record Verdict(SmokeCase Case, bool Ok, string Outcome);

    /// <summary>Each update's outcome so far; with <paramref name="inbox"/> (HelpBot stopped) also whether HelpBot stored it.</summary>
    private static List<Verdict> Judge(SmokeScenario s, FastBotApi api, IReadOnlyList<string> log, IReadOnlyDictionary<int, string>? inbox)
    {
        var cases = s.Claim is null ? s.Cases : [.. s.Cases, s.Claim];
        var verdicts = cases.Select(c => JudgeOne(s, api, c, log, inbox)).ToList();
        if (s.Claim is null)
        {
            verdicts.Add(new Verdict(new SmokeCase("callback_query claim:N (staff presses the card's button)", Expect.Claim, "callback_query", ""), false,
                "not sent: the first question's card never came"));
        }
        return verdicts;
    }

    private static Verdict JudgeOne(SmokeScenario s, FastBotApi api, SmokeCase c, IReadOnlyList<string> log, IReadOnlyDictionary<int, string>? inbox)
    {
        if (log.FirstOrDefault(l => l.Contains($"Skipped malformed Telegram update {c.UpdateId}:", StringComparison.Ordinal)) is { } unreadable)
        {
            return new Verdict(c, false, "UNREADABLE, skipped:" + unreadable[unreadable.LastIndexOf(':')..].TrimStart(':'));
        }
        var letGo = log.Any(l => l.Contains($"Skipped Telegram update {c.UpdateId} of type {c.Detail}", StringComparison.Ordinal));
        var stored = inbox?.GetValueOrDefault(c.UpdateId);
        var replies = c.MessageId == 0 ? [] : s.Sent.Where(m => m.ChatId == c.ChatId && m.ReplyTo == c.MessageId).ToList();
        var (ok, outcome) = c.Expect switch
        {
            Expect.Ticket => Ticket(s, c, replies),
            Expect.Reply => replies.Any(m => m.Text == c.Detail) ? (true, $"reply “{Shorten(c.Detail!)}”")
                : (false, replies.Count == 0 ? "MISSING reply" : $"WRONG reply “{Shorten(replies[0].Text)}”"),
            Expect.Quiet => (replies.Count == 0, replies.Count == 0 ? "read, nothing sent" : $"UNEXPECTED reply “{Shorten(replies[0].Text)}”"),
            Expect.Skipped => (letGo && replies.Count == 0, letGo ? $"read, let go as {c.Detail}" : $"MISSING the poller's “type {c.Detail}” line"),
            Expect.Claim => api.Calls(BotMethod.AnswerCallbackQuery) > 0 && s.Edits.Any(e => e.ChatId == api.Chats.StaffChatId && e.MessageId == s.CardMessageId)
                ? (true, "button answered, card edited")
                : (false, $"MISSING {(api.Calls(BotMethod.AnswerCallbackQuery) == 0 ? "answerCallbackQuery" : "card edit")}"),
            _ => (inbox is null || stored is not null || log.Any(l => l.Contains($"Skipped Telegram update {c.UpdateId} ", StringComparison.Ordinal)), "read"),
        };
        if (inbox is not null && c.Expect is not (Expect.Skipped or Expect.Read) && stored != "handled")
        {
            return new Verdict(c, false, $"{outcome}; inbox: {stored ?? "NO ROW"}");
        }
        return new Verdict(c, ok, outcome);
    }

    private static (bool, string) Ticket(SmokeScenario s, SmokeCase c, List<SentMessage> replies)
    {
        var ack = replies.FirstOrDefault(m => m.Text.Contains('#', StringComparison.Ordinal));
        var card = s.Sent.FirstOrDefault(m => s.IsCardOf(m, c));
        return ack is not null && card is not null
            ? (true, $"ticket {card.CallbackData!["claim:".Length..]}: ack + card")
            : (false, "MISSING " + string.Join(" and ", new[] { ack is null ? "ack" : null, card is null ? "card" : null }.OfType<string>()));
    }

    private static string Expected(SmokeCase c) => c.Expect switch
    {
        Expect.Ticket => "ack + card",
        Expect.Reply => "a polite reply",
        Expect.Quiet => "stored, no reply",
        Expect.Skipped => $"let go ({c.Detail})",
        Expect.Claim => "button answer + card edit",
        _ => "read",
    };

    private static bool IsAlarming(string line) =>
        line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)
        || (line.Contains(" warn: ", StringComparison.Ordinal) && WarningAlarms.Any(a => line.Contains(a, StringComparison.OrdinalIgnoreCase)))
        || Alarms.Any(a => line.Contains(a, StringComparison.Ordinal));

    private static string Shorten(string text) => text.Length <= 36 ? text : text[..35] + "…";

    private static List<string> ReadLog(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Update id → the inbox row's outcome ("handled", "ignored", "failed", …) of every Telegram event HelpBot stored.</summary>
    private static Dictionary<int, string> ReadInbox(string dbPath)
    {
        var rows = new Dictionary<int, string>();
        using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, outcome FROM inbox WHERE channel = 'telegram'";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // "botId:updateId"
            var eventId = reader.GetString(0);
            if (int.TryParse(eventId.AsSpan(eventId.IndexOf(':', StringComparison.Ordinal) + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var updateId))
            {
                rows[updateId] = reader.GetString(1);
            }
        }
        return rows;
    }
}
