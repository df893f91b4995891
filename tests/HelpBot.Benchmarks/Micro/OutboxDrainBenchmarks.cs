using System.Globalization;
using BenchmarkDotNet.Attributes;
using HelpBot.Benchmarks.E2e;
using HelpBot.Hosting;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpBot.Benchmarks.Micro;

/// <summary>
/// The outbox on its own: OutboxDispatcher.DispatchDueAsync draining the ack and card of N new questions
/// (2N rows: N private chats, the support group and the staff chat) through a sender that answers at once.
/// What is left is the dispatcher's own cost per row: picking each chat's head, resolving references and
/// recording the send. Compare N = 250 and N = 2,500 for how it grows with the backlog.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(3)]
[InvocationCount(1)]
public class OutboxDrainBenchmarks
{
    private WebApplication _app = null!;
    private InboxProcessor _inbox = null!;
    private OutboxDispatcher _dispatcher = null!;
    private string _dir = "";
    private long _next;

    [Params(250, 2500)]
    public int Questions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("helpbot-micro-outbox-").FullName;
        var settings = HelpBotApp.Settings(LoadRun.Token, "http://127.0.0.1:9", Chats.Default, Path.Combine(_dir, "helpbot.db"));
        settings["Logging:LogLevel:Default"] = "Warning";
        _app = HelpBotHost.Build(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), builder =>
        {
            builder.Services.RemoveAll<IChannelSender>();
            builder.Services.AddSingleton<IChannelSender, InstantSender>();
        });
        _app.Services.GetRequiredService<Migrator>().MigrateAsync().GetAwaiter().GetResult();
        _inbox = _app.Services.GetRequiredService<InboxProcessor>();
        _dispatcher = _app.Services.GetRequiredService<OutboxDispatcher>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [IterationSetup]
    public void Enqueue()
    {
        // In batches of 100, as getUpdates delivers them.
        for (var done = 0; done < Questions; done += 100)
        {
            var batch = new List<InboundEvent>();
            for (var i = done; i < Math.Min(Questions, done + 100); i++)
            {
                var citizen = 10_000_000 + ++_next;
                var isPrivate = citizen % 2 == 0;
                batch.Add(new InboundEvent
                {
                    Channel = "telegram",
                    EventId = Id(_next),
                    Kind = InboundKind.Text,
                    ChatId = Id(isPrivate ? citizen : Chats.Default.GroupChatId),
                    ChatKind = isPrivate ? ChatKinds.Private : ChatKinds.Group,
                    ChatTitle = isPrivate ? null : Chats.Default.GroupTitle,
                    From = new InboundUser(Id(citizen), Support.Corpus.CitizenName((int)(citizen % 10_000))),
                    MessageId = Id(_next),
                    Text = Support.Corpus.Questions[(int)(citizen % Support.Corpus.Questions.Length)],
                    SentAt = DateTimeOffset.UtcNow,
                });
            }
            _inbox.ProcessAsync(batch).GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public Task<DateTimeOffset?> DrainAckAndCard() => _dispatcher.DispatchDueAsync(CancellationToken.None);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A sender that delivers instantly: every message gets a fresh id.</summary>
    private sealed class InstantSender : IChannelSender
    {
        private int _nextId;

        public string Channel => "telegram";

        public SendBudget Budget { get; } = new(SendLimits.Unlimited);

        public Task<SendResult> SendAsync(Delivery delivery, CancellationToken cancellationToken) =>
            Task.FromResult<SendResult>(new SendResult.Sent([Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture)]));
    }
}
