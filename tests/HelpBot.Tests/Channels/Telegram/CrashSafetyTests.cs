using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace HelpBot.Tests.Channels.Telegram;

/// <summary>
/// Issue 7, crash safety. HelpBot runs as a child process (the HelpBot.dll built beside the tests) against the fake
/// Bot API, which keeps unconfirmed updates as Telegram does. Citizens keep asking (privately and in the support
/// group) while the team answers every card by replying to it; meanwhile the child is killed with SIGKILL at random
/// moments and restarted on the same database. At the end the SQLite file and the fake's records must show: every
/// question exactly one ticket, every answer delivered, no ticket event missing, and an intact file.
///
/// CI runs a short version (300 tickets). The full run of the issue:
///   HELPBOT_CRASH_TICKETS=2000 dotnet test tests/HelpBot.Tests --filter CrashSafety --logger "console;verbosity=detailed"
/// HELPBOT_CRASH_SEED chooses another set of kill moments (the figures are printed to the test output).
/// </summary>
public sealed partial class CrashSafetyTests(ITestOutputHelper output)
{
    private const int DefaultTickets = 300;
    private const int DefaultSeed = 7;
    // The dispatcher's default HelpBot:Outbox:Concurrency: at most this many sends can be on the wire when a kill lands.
    private const int SendsInFlight = HelpBot.OutboxOptions.DefaultConcurrency;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    // Restarts take about a second; this long without a question asked, carded or answered means work was lost.
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Killed_with_SIGKILL_at_random_moments_under_load_it_loses_no_question_event_or_answer()
    {
        var total = FromEnvironment("HELPBOT_CRASH_TICKETS", DefaultTickets);
        var seed = FromEnvironment("HELPBOT_CRASH_SEED", DefaultSeed);
        var random = new Random(seed);
        var plan = KillPlan(random, total);
        var stopwatch = Stopwatch.StartNew();
        // Generous: a healthy run takes a small fraction of this; reaching it is itself the finding.
        var deadline = TimeSpan.FromSeconds(90 + (total * 0.15));

        await using var api = await FakeBotApi.StartAsync();
        using var db = new TempDatabase();
        await using var bot = new HelpBotProcess(Arguments(api, db), db.Folder);
        var people = new CitizensAndTeam(api, total);
        var kills = new List<string>();
        var problems = new List<string>();

        // A backlog waits before the first start, as questions do after a night of downtime.
        people.Offer(Math.Min(total, 50));
        await StartAsync(bot, api);
        var next = 0;
        var progress = (Said: people.Describe(), At: stopwatch.Elapsed);
        while (people.Answered < total)
        {
            if (stopwatch.Elapsed > deadline)
            {
                problems.Add($"Not every question was answered within {deadline.TotalSeconds:0} s: {people.Describe()}");
                break;
            }
            if (people.Describe() != progress.Said)
            {
                progress = (people.Describe(), stopwatch.Elapsed);
            }
            else if (stopwatch.Elapsed - progress.At > StallLimit)
            {
                problems.Add($"No progress for {StallLimit.TotalSeconds:0} s: {progress.Said}");
                break;
            }
            if (bot.HasExitedOnItsOwn)
            {
                problems.Add($"The HelpBot child exited on its own (exit code {bot.ExitCode}) after {people.Describe()}\n{bot.Tail()}");
                break;
            }
            people.Pump();
            people.Offer(Math.Min(25, CitizensAndTeam.Window - people.Outstanding));
            if (next < plan.Count && plan[next].AfterAnswers is { } threshold && people.Answered >= threshold)
            {
                await bot.KillAsync();
                kills.Add($"under load after {people.Answered} answered ({people.Describe()}) at {stopwatch.Elapsed.TotalSeconds:0.0} s");
                next++;
                var spawned = await StartAsync(bot, api, waitUntilPolling: plan.ElementAtOrDefault(next) is not { AfterRequests: not null });
                // A kill in the restart itself: startup sends, leftover outbox rows, the first batch.
                while (plan.ElementAtOrDefault(next) is { AfterRequests: { } requests })
                {
                    var seen = await WaitForChildRequestsAsync(bot, api, spawned, requests);
                    await bot.KillAsync();
                    kills.Add($"during restart after its request {seen} ({people.Describe()}) at {stopwatch.Elapsed.TotalSeconds:0.0} s");
                    next++;
                    spawned = await StartAsync(bot, api, waitUntilPolling: plan.ElementAtOrDefault(next) is not { AfterRequests: not null });
                }
                await WaitUntilPollingAsync(bot, api, spawned);
                continue;
            }
            await Task.Delay(PollInterval);
        }
        people.Pump();

        if (problems.Count == 0)
        {
            await WaitUntilIdleAsync(bot, api, db, problems);
        }
        var elapsed = stopwatch.Elapsed;
        // Everything is committed by now; the file is read only after the last child is gone.
        await bot.KillAsync();
        SqliteConnection.ClearAllPools();

        var figures = await VerifyAsync(db.Path, api, people, problems);
        // A duplicate needs a kill between a send and its record: at most the sends in flight, per kill.
        if (figures.DuplicateAnswers > kills.Count * SendsInFlight)
        {
            problems.Add($"{figures.DuplicateAnswers} answers were delivered more than once; {kills.Count} kills allow at most {kills.Count * SendsInFlight}.");
        }
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Crash safety: {total} questions ({people.InGroup} in the support group, {total - people.InGroup} private), seed {seed}")
            .AppendLine(CultureInfo.InvariantCulture, $"  {kills.Count} SIGKILLs, {bot.Starts} starts, {elapsed.TotalSeconds:0.0} s, {api.Requests.Count} Bot API calls, {bot.ErrorLines} error log lines")
            .AppendLine(CultureInfo.InvariantCulture, $"  duplicates: {figures.DuplicateAnswers} answers, {figures.DuplicateAcks} acknowledgements, {figures.DuplicateCards} cards delivered more than once")
            .AppendJoin('\n', kills.Select((k, i) => FormattableString.Invariant($"  kill {i + 1}: {k}")));
        output.WriteLine(report.ToString());

        Assert.True(kills.Count >= 4 || problems.Count > 0, $"Only {kills.Count} kills happened; the plan had {plan.Count}.");
        Assert.True(problems.Count == 0, $"{report}\n\n{string.Join("\n\n", problems)}\n\nLast lines of the child:\n{bot.Tail()}");
    }

    /// <summary>What each planned kill waits for: a number of answered questions, or a number of requests from a child just restarted.</summary>
    private sealed record KillMoment(int? AfterAnswers, int? AfterRequests);

    /// <summary>4 to 6 kills: most at random points of progress under load, one inside a restart.</summary>
    private static List<KillMoment> KillPlan(Random random, int total)
    {
        var count = random.Next(4, 7);
        var thresholds = Enumerable.Range(0, count - 1).Select(_ => random.Next(total / 20, total * 9 / 10)).Order().ToList();
        var plan = thresholds.Select(t => new KillMoment(t, null)).ToList();
        plan.Insert(random.Next(1, count), new KillMoment(null, random.Next(1, 8)));
        return plan;
    }

    private static List<string> Arguments(FakeBotApi api, TempDatabase db) =>
    [
        $"--HelpBot:Telegram:BotToken={api.Token}",
        $"--HelpBot:Telegram:ApiBaseUrl={api.BaseUrl}",
        FormattableString.Invariant($"--HelpBot:Telegram:StaffChatId={HelpBotHarness.StaffChat}"),
        FormattableString.Invariant($"--HelpBot:Telegram:SupportChatIds:0={HelpBotHarness.Group}"),
        "--HelpBot:Telegram:Limits:GlobalPerSecond=0",
        "--HelpBot:Telegram:Limits:PerChatPerSecond=0",
        "--HelpBot:Telegram:Limits:PerGroupPerMinute=0",
        "--HelpBot:Telegram:PollTimeoutSeconds=1",
        "--HelpBot:Http:Urls=http://127.0.0.1:0",
        $"--ConnectionStrings:HelpBot={db.ConnectionString}",
    ];

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <summary>Starts a child; returns the sequence number of the fake's last request before it, so its own requests can be told apart.</summary>
    private static async Task<long> StartAsync(HelpBotProcess bot, FakeBotApi api, bool waitUntilPolling = true)
    {
        var before = LastSequence(api);
        bot.Start();
        if (waitUntilPolling)
        {
            await WaitUntilPollingAsync(bot, api, before);
        }
        return before;
    }

    /// <summary>The child is up once it asks for updates.</summary>
    private static async Task WaitUntilPollingAsync(HelpBotProcess bot, FakeBotApi api, long since) =>
        await WaitForChildAsync(bot, api, "the restarted HelpBot asks for updates",
            all => all.Any(r => r.Sequence > since && r.Method == "getUpdates"), TimeSpan.FromSeconds(30));

    /// <summary>Waits until the child started after <paramref name="since"/> has made <paramref name="count"/> requests; says what the last one was.</summary>
    private static async Task<string> WaitForChildRequestsAsync(HelpBotProcess bot, FakeBotApi api, long since, int count)
    {
        await WaitForChildAsync(bot, api, $"the restarted HelpBot makes {count} requests",
            all => all.Count(r => r.Sequence > since) >= count, TimeSpan.FromSeconds(30));
        var request = api.Requests.Where(r => r.Sequence > since).ElementAt(count - 1);
        return FormattableString.Invariant($"{count} ({request.Method}{(request.ChatId is { } chat ? $" to chat {chat}" : "")})");
    }

    private static async Task WaitForChildAsync(HelpBotProcess bot, FakeBotApi api, string what, Func<IReadOnlyList<FakeRequest>, bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!done(api.Requests))
        {
            if (bot.HasExitedOnItsOwn)
            {
                throw new InvalidOperationException($"Waiting until {what}, the child exited on its own (exit code {bot.ExitCode}).\n{bot.Tail()}");
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.\n{bot.Tail()}");
            }
            await Task.Delay(PollInterval);
        }
    }

    private static long LastSequence(FakeBotApi api) => api.Requests is { Count: > 0 } all ? all[^1].Sequence : 0;

    /// <summary>Every update confirmed (so committed) and no outbox row pending: nothing is left for the bot to do.</summary>
    private static async Task WaitUntilIdleAsync(HelpBotProcess bot, FakeBotApi api, TempDatabase db, List<string> problems)
    {
        var deadline = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(30);
        long pending = -1;
        while (true)
        {
            var updates = api.PendingUpdateCount;
            if (updates == 0)
            {
                await using var connection = new SqliteConnection($"Data Source={db.Path};Mode=ReadWrite;Pooling=False;Default Timeout=30");
                await connection.OpenAsync();
                pending = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE state = 'pending'");
                if (pending == 0)
                {
                    return;
                }
            }
            if (bot.HasExitedOnItsOwn || deadline.Elapsed > timeout)
            {
                problems.Add($"The bot did not become idle within {timeout.TotalSeconds:0} s after the last answer: {updates} unconfirmed updates, {pending} pending outbox rows (exited on its own: {bot.HasExitedOnItsOwn}).");
                return;
            }
            await Task.Delay(PollInterval * 5);
        }
    }

    private sealed record Figures(int DuplicateAnswers, int DuplicateAcks, int DuplicateCards);

    private sealed record TicketRow(long Id, string ChatId, string MessageId, string State);

    private static async Task<Figures> VerifyAsync(string path, FakeBotApi api, CitizensAndTeam people, List<string> problems)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync();

        var integrity = (await connection.QueryAsync<string>("PRAGMA integrity_check")).ToList();
        if (integrity is not ["ok"])
        {
            problems.Add($"PRAGMA integrity_check: {string.Join("; ", integrity.Take(20))}");
        }
        var foreignKeys = (await connection.QueryAsync("PRAGMA foreign_key_check")).Count();
        if (foreignKeys > 0)
        {
            problems.Add($"PRAGMA foreign_key_check reports {foreignKeys} rows.");
        }

        // Every question exactly one ticket, and no ticket that is not a question.
        var tickets = (await connection.QueryAsync<TicketRow>(
            "SELECT id AS Id, chat_id AS ChatId, message_id AS MessageId, state AS State FROM tickets ORDER BY id")).ToList();
        var byQuestion = tickets.ToLookup(t => (Chat: long.Parse(t.ChatId, CultureInfo.InvariantCulture), Message: int.Parse(t.MessageId, CultureInfo.InvariantCulture)));
        var questions = people.Questions.ToDictionary(q => (Chat: q.ChatId, Message: q.MessageId));
        var noTicket = questions.Keys.Where(k => !byQuestion.Contains(k)).ToList();
        var twice = byQuestion.Where(g => g.Count() > 1).ToList();
        var strangers = byQuestion.Where(g => !questions.ContainsKey(g.Key)).ToList();
        if (tickets.Count != questions.Count || noTicket.Count > 0 || twice.Count > 0 || strangers.Count > 0)
        {
            problems.Add($"{questions.Count} questions, {tickets.Count} tickets. Without a ticket: {List(noTicket.Select(k => $"chat {k.Chat} message {k.Message}"))}. "
                + $"More than one ticket: {List(twice.Select(g => $"chat {g.Key.Chat} message {g.Key.Message} → #{string.Join(", #", g.Select(t => t.Id))}"))}. "
                + $"Tickets for no question: {List(strangers.SelectMany(g => g).Select(t => $"#{t.Id}"))}.");
        }

        // No ticket event missing (nor doubled by a redelivered update), every ticket answered.
        var events = (await connection.QueryAsync<(long TicketId, string Kind, long Count)>(
            "SELECT ticket_id, kind, count(*) FROM ticket_events GROUP BY ticket_id, kind")).ToLookup(e => e.TicketId);
        foreach (var kind in new[] { "Created", "Claimed", "Answered" })
        {
            var missing = tickets.Where(t => !events[t.Id].Any(e => e.Kind == kind)).Select(t => $"#{t.Id}").ToList();
            var doubled = tickets.Where(t => events[t.Id].Any(e => e.Kind == kind && e.Count > 1)).Select(t => $"#{t.Id}").ToList();
            if (missing.Count > 0 || doubled.Count > 0)
            {
                problems.Add($"ticket_events {kind}: missing on {List(missing)}; more than once on {List(doubled)}.");
            }
        }
        var notAnswered = tickets.Where(t => t.State != "Answered").Select(t => $"#{t.Id} {t.State}").ToList();
        if (notAnswered.Count > 0)
        {
            problems.Add($"Tickets not in state Answered: {List(notAnswered)}.");
        }

        // Every answer delivered to the citizen under the question, carrying the team's words.
        var sent = api.Sent("sendMessage").ToList();
        var underQuestions = sent.Where(r => r.ChatId is not null && r.ReplyToMessageId is not null)
            .ToLookup(r => (Chat: r.ChatId!.Value, Message: r.ReplyToMessageId!.Value));
        var duplicateAnswers = 0;
        var duplicateAcks = 0;
        var undelivered = new List<string>();
        foreach (var ticket in tickets)
        {
            var key = (long.Parse(ticket.ChatId, CultureInfo.InvariantCulture), int.Parse(ticket.MessageId, CultureInfo.InvariantCulture));
            var replies = underQuestions[key].ToList();
            var answers = replies.Count(r => r.Text!.Contains(CitizensAndTeam.StaffReply(ticket.Id), StringComparison.Ordinal));
            var acks = replies.Count(r => r.Text!.Contains($"câu hỏi #{ticket.Id}", StringComparison.Ordinal) && !r.Text.Contains(CitizensAndTeam.StaffReply(ticket.Id), StringComparison.Ordinal));
            if (answers == 0)
            {
                undelivered.Add($"#{ticket.Id} (chat {key.Item1}, question {key.Item2})");
            }
            duplicateAnswers += Math.Max(0, answers - 1);
            duplicateAcks += Math.Max(0, acks - 1);
        }
        if (undelivered.Count > 0)
        {
            problems.Add($"Answers never delivered: {List(undelivered)}.");
        }
        var cards = sent.Where(r => r.ChatId == HelpBotHarness.StaffChat).SelectMany(r => r.InlineButtons)
            .Where(b => b.CallbackData?.StartsWith("claim:", StringComparison.Ordinal) == true).GroupBy(b => b.CallbackData).ToList();
        var duplicateCards = cards.Sum(g => g.Count() - 1);

        var outbox = (await connection.QueryAsync<(string State, long Count)>("SELECT state, count(*) FROM outbox GROUP BY state")).ToDictionary(r => r.State, r => r.Count);
        if (outbox.GetValueOrDefault("pending") > 0 || outbox.GetValueOrDefault("dead") > 0)
        {
            problems.Add($"Outbox rows left: {outbox.GetValueOrDefault("pending")} pending, {outbox.GetValueOrDefault("dead")} dead.");
        }
        var failed = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox WHERE outcome = 'failed'");
        if (failed > 0)
        {
            problems.Add($"{failed} inbox events failed to be handled.");
        }
        return new Figures(duplicateAnswers, duplicateAcks, duplicateCards);
    }

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count == 0 ? "none" : $"{all.Count}: {string.Join(", ", all.Take(40))}{(all.Count > 40 ? ", …" : "")}";
    }

    private sealed record Question(int Number, long ChatId, int MessageId);

    /// <summary>
    /// The citizens who ask, and the team, who answer every card by replying to it as soon as the fake has seen it
    /// sent. Driven from the fake's record of requests, read from where the previous pump stopped.
    /// </summary>
    private sealed partial class CitizensAndTeam(FakeBotApi api, int total)
    {
        /// <summary>Questions asked and not yet answered, at most: enough to keep the bot busy through every kill.</summary>
        public const int Window = 150;
        private const long FirstCitizen = 200_000;
        private const string StaffChatTitle = "Tổ phản ứng nhanh";
        private static readonly (long Id, string Name)[] Team = [(701, "Lan"), (702, "Minh"), (703, "Hoa")];
        private static readonly string[] Topics =
        [
            "làm căn cước cho cháu 14 tuổi ở đâu",
            "đăng ký tạm trú cần giấy tờ gì",
            "xin giấy khai sinh bản sao mất bao lâu",
            "trợ cấp người cao tuổi nhận ở đâu",
            "kích hoạt VNeID mức 2 thế nào",
            "đóng lệ phí trước bạ online được không",
        ];
        private readonly List<Question> _questions = [];
        private readonly HashSet<int> _carded = [];
        private readonly HashSet<(long Chat, int Message)> _answered = [];
        private int _seen;

        public IReadOnlyList<Question> Questions => _questions;

        public int InGroup { get; private set; }

        public int Answered => _answered.Count;

        public int Outstanding => _questions.Count - Answered;

        /// <summary>What the team writes; unique per ticket, so an answer found at the citizen's end proves which ticket it answers.</summary>
        public static string StaffReply(long ticket) =>
            FormattableString.Invariant($"Dạ, bác mang căn cước đến bộ phận một cửa UBND xã, sáng thứ Hai đến thứ Sáu ạ. (mã trả lời {ticket})");

        public void Offer(int count)
        {
            for (var i = 0; i < count && _questions.Count < total; i++)
            {
                var n = _questions.Count;
                var citizen = FirstCitizen + n;
                var name = FormattableString.Invariant($"Công dân {n}");
                var text = FormattableString.Invariant($"Cho hỏi {Topics[n % Topics.Length]} ạ? (người hỏi số {n})");
                // Every fourth asks in the public support group, the others privately; each citizen asks once.
                var asked = n % 4 == 0
                    ? api.SendFromUser(HelpBotHarness.Group, citizen, name, text, chatType: "supergroup", chatTitle: HelpBotHarness.GroupTitle)
                    : api.SendFromUser(citizen, citizen, name, text, chatType: "private");
                InGroup += n % 4 == 0 ? 1 : 0;
                _questions.Add(new Question(n, asked.ChatId, asked.MessageId));
            }
        }

        public void Pump()
        {
            var all = api.Requests;
            for (; _seen < all.Count; _seen++)
            {
                var r = all[_seen];
                if (!r.Succeeded || r.Method != "sendMessage" || r.ChatId is not { } chat)
                {
                    continue;
                }
                if (chat == HelpBotHarness.StaffChat)
                {
                    var tickets = r.InlineButtons.Select(b => TicketOfClaim(b.CallbackData)).OfType<int>().ToList();
                    // A card sent twice (a kill before its record) is answered once, as a team would.
                    foreach (var ticket in tickets.Where(_carded.Add))
                    {
                        var (id, member) = Team[ticket % Team.Length];
                        // A reply to the card; under a message that announces several tickets, "#12 answer" says which.
                        _ = tickets.Count == 1
                            ? api.SendFromUser(HelpBotHarness.StaffChat, id, member, StaffReply(ticket), r.ResultMessageId, "supergroup", StaffChatTitle)
                            : api.SendFromUser(HelpBotHarness.StaffChat, id, member, $"#{ticket} {StaffReply(ticket)}", null, "supergroup", StaffChatTitle);
                    }
                }
                else if (r.ReplyToMessageId is { } question && r.Text is { } text && AnswerMarkPattern().IsMatch(text))
                {
                    _answered.Add((chat, question));
                }
            }
        }

        public string Describe() =>
            FormattableString.Invariant($"{_questions.Count} of {total} asked, {_carded.Count} carded, {Answered} answered");

        private static int? TicketOfClaim(string? data) =>
            data is not null && data.StartsWith("claim:", StringComparison.Ordinal)
            && int.TryParse(data.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticket) ? ticket : null;

        [GeneratedRegex(@"\(mã trả lời \d+\)")]
        private static partial Regex AnswerMarkPattern();
    }
}
