using Dapper;
using HelpBot.Hosting;
using HelpBot.Storage;
using HelpBot.Tests.Fakes;
using HelpBot.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Support;

/// <summary>
/// The real HelpBot host, with its real TelegramBotClient talking HTTP to a fake Bot API server on
/// 127.0.0.1, a real SQLite file and a fake clock. Can be stopped and started again over the same
/// database and server, as a restart would.
/// </summary>
public sealed class HelpBotHarness : IAsyncDisposable
{
    public const long StaffChat = -1001000000001;
    public const long Group = -1001000000002;
    public const string GroupTitle = "Hỏi đáp thủ tục hành chính xã";
    public const long AdminId = 900;
    public const string AdminName = "Chủ tịch Hùng";

    // Tuesday 01/12/2026, 09:00 in Hà Nội.
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;

    private HelpBotHarness(FakeBotApi api, TempDatabase db, Dictionary<string, string?> settings)
    {
        Api = api;
        Db = db;
        _settings = settings;
    }

    public FakeBotApi Api { get; }
    /// <summary>The settings the next start uses: change them between a stop and a start, as an operator would.</summary>
    public Dictionary<string, string?> Settings => _settings;
    public TempDatabase Db { get; }
    public FakeTimeProvider Clock { get; } = new(Start);
    public WebApplication? App { get; private set; }

    /// <summary>Every log line of every run of the host, at every level.</summary>
    public LogCapture Logs { get; } = new();

    public static async Task<HelpBotHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool startHost = true)
    {
        var api = await FakeBotApi.StartAsync();
        var db = new TempDatabase();
        var settings = new Dictionary<string, string?>
        {
            ["HelpBot:Telegram:BotToken"] = api.Token,
            ["HelpBot:Telegram:ApiBaseUrl"] = api.BaseUrl,
            ["HelpBot:Telegram:StaffChatId"] = StaffChat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HelpBot:Telegram:SupportChatIds:0"] = Group.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HelpBot:Telegram:PollTimeoutSeconds"] = "5",
            ["HelpBot:Telegram:Limits:GlobalPerSecond"] = "0",
            ["HelpBot:Telegram:Limits:PerChatPerSecond"] = "0",
            ["HelpBot:Telegram:Limits:PerGroupPerMinute"] = "0",
            ["HelpBot:Admins:0"] = $"telegram:{AdminId}",
            ["HelpBot:Http:Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:HelpBot"] = db.ConnectionString,
        };
        configure?.Invoke(settings);
        var harness = new HelpBotHarness(api, db, settings);
        api.Clock = harness.Clock;
        if (startHost)
        {
            await harness.StartHostAsync();
        }
        return harness;
    }

    public static string[] ToArgs(IReadOnlyDictionary<string, string?> settings) =>
        settings.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

    public async Task StartHostAsync(bool waitForPolling = true)
    {
        App = HelpBotHost.Build(ToArgs(_settings), builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Clock);
            builder.Logging.AddProvider(Logs);
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        });
        await App.StartAsync();
        if (waitForPolling)
        {
            // The bot is ready once it has asked for updates.
            await Api.WaitForRequestAsync(r => r.Method == "getUpdates" && r.Sequence > _lastStopSequence);
        }
    }

    private long _lastStopSequence;

    public async Task StopHostAsync()
    {
        if (App is null)
        {
            return;
        }
        await App.StopAsync();
        await App.DisposeAsync();
        App = null;
        _lastStopSequence = Api.Requests.Count == 0 ? 0 : Api.Requests[^1].Sequence;
    }

    public T Service<T>() where T : notnull => App!.Services.GetRequiredService<T>();

    // ---- people ----

    public FakeMessageRef AskInGroup(long userId, string name, string text, int? replyTo = null) =>
        Api.SendFromUser(Group, userId, name, text, replyTo, "supergroup", GroupTitle);

    public FakeMessageRef WritePrivately(long userId, string name, string text, int? replyTo = null) =>
        Api.SendFromUser(userId, userId, name, text, replyTo, "private");

    public FakeMessageRef InStaffChat(long userId, string name, string text, int? replyTo = null) =>
        Api.SendFromUser(StaffChat, userId, name, text, replyTo, "supergroup", "Tổ phản ứng nhanh");

    // ---- what the bot sent ----

    /// <summary>The ticket's card, once the bot has also recorded its message id (so a reply to it is understood).</summary>
    public async Task<FakeRequest> CardAsync(long ticket)
    {
        var card = await Api.WaitForRequestAsync(r => r.Method == "sendMessage" && r.ChatId == StaffChat && r.Succeeded
            && (r.Text?.Contains($"Phiếu #{ticket} ", StringComparison.Ordinal) ?? false)
            && r.InlineButtons.Any(b => b.CallbackData == $"claim:{ticket}"));
        await WaitUntilAsync($"the card of #{ticket} is linked", async () =>
            await ScalarAsync("SELECT count(*) FROM message_links WHERE ticket_id = @ticket AND role = 'card'", new { ticket }) > 0);
        return card;
    }

    /// <summary>Waits until a failed send has been rescheduled, then moves the clock past its back-off.</summary>
    public async Task AdvancePastRetryAsync()
    {
        long next = 0;
        await WaitUntilAsync("a failed send is rescheduled", async () =>
        {
            next = await ScalarAsync("SELECT coalesce(min(next_attempt_at), 0) FROM outbox WHERE state = 'pending' AND (attempts > 0 OR last_error IS NOT NULL)");
            return next > 0;
        });
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(next) - Clock.GetUtcNow();
        Clock.Advance(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    /// <summary>Polls a condition with a bound: for state the bot writes right after a request it made.</summary>
    public static async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(5);
        }
    }

    public Task<FakeRequest> SentToAsync(long chatId, string contains) =>
        Api.WaitForRequestAsync(r => r.Method == "sendMessage" && r.ChatId == chatId && r.Succeeded
            && (r.Text?.Contains(contains, StringComparison.Ordinal) ?? false));

    public Task<FakeRequest> CallbackAnswerAsync(string queryId) =>
        Api.WaitForRequestAsync(r => r.Method == "answerCallbackQuery" && r.GetString("callback_query_id") == queryId);

    public Task<FakeRequest> CardEditAsync(int cardMessageId, string contains) =>
        Api.WaitForRequestAsync(r => r.Method == "editMessageText" && r.ChatId == StaffChat && r.MessageId == cardMessageId
            && (r.Text?.Contains(contains, StringComparison.Ordinal) ?? false));

    // ---- what the database holds ----

    public async Task<Ticket> TicketAsync(long id)
    {
        await using var s = await DeskSession.BeginAsync(Db.Database);
        return await s.GetTicketAsync(id) ?? throw new InvalidOperationException($"No ticket #{id}");
    }

    public async Task<IReadOnlyList<TicketEvent>> EventsAsync(long id)
    {
        await using var s = await DeskSession.BeginAsync(Db.Database);
        return await s.GetEventsAsync(id);
    }

    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>Waits, bounded, until the bot has acknowledged every update (committed them) and sent what was due.</summary>
    public async Task SettleAsync()
    {
        await Api.WaitForGetUpdatesDrainedAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at <= @now", new { now = Clock.GetUtcNow().ToUnixTimeMilliseconds() }) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The outbox still has due rows after 10 s.");
            }
            await Api.WaitForRequestAsync(r => r.Sequence > (Api.Requests.Count == 0 ? 0 : Api.Requests[^1].Sequence), TimeSpan.FromSeconds(1))
                .ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        await Api.DisposeAsync();
        Db.Dispose();
    }
}
