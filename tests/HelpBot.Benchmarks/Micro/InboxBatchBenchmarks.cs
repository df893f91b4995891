using System.Globalization;
using BenchmarkDotNet.Attributes;
using HelpBot.Benchmarks.E2e;
using HelpBot.Hosting;
using HelpBot.Inbox;
using HelpBot.Storage;
using HelpBot.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HelpBot.Benchmarks.Micro;

/// <summary>
/// One inbox batch commit: InboxProcessor.ProcessAsync, from the production composition
/// (HelpBotHost.Build, host not started), on a real SQLite file with the real migrations. Every invocation
/// brings new citizens, so each question opens a ticket (ack + card in the outbox) and each staff reply
/// answers one (ticket update, events, answer + card edit in the outbox).
/// </summary>
[MemoryDiagnoser]
public class InboxBatchBenchmarks
{
    private const long StaffChat = -1001000000001;
    private const long Group = -1001000000002;
    private WebApplication _app = null!;
    private InboxProcessor _inbox = null!;
    private string _dir = "";
    private long _nextEvent;
    private long _nextCitizen = 10_000_000;
    private long _ticketsOpened;
    private long _ticketsAnswered;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("helpbot-micro-inbox-").FullName;
        var settings = HelpBotApp.Settings(LoadRun.Token, "http://127.0.0.1:9", Chats.Default, Path.Combine(_dir, "helpbot.db"));
        settings["Logging:LogLevel:Default"] = "Warning";
        _app = HelpBotHost.Build(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        _app.Services.GetRequiredService<Migrator>().MigrateAsync().GetAwaiter().GetResult();
        _inbox = _app.Services.GetRequiredService<InboxProcessor>();
        // Tickets for the first batch of staff replies to answer.
        _inbox.ProcessAsync(Questions(50)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A getUpdates batch of one question: the cost of a transaction of its own.</summary>
    [Benchmark]
    public Task OneQuestion() => _inbox.ProcessAsync(Questions(1));

    [Benchmark]
    public Task HundredQuestions() => _inbox.ProcessAsync(Questions(100));

    /// <summary>50 new questions and 50 staff replies answering the previous batch's tickets.</summary>
    [Benchmark]
    public Task FiftyQuestionsFiftyAnswers()
    {
        var batch = new List<InboundEvent>(100);
        var answers = Math.Min(50, _ticketsOpened - _ticketsAnswered);
        for (var i = 0; i < answers; i++)
        {
            batch.Add(StaffReply(++_ticketsAnswered));
        }
        batch.AddRange(Questions(50));
        return _inbox.ProcessAsync(batch);
    }

    private List<InboundEvent> Questions(int count)
    {
        var batch = new List<InboundEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var citizen = _nextCitizen++;
            var isPrivate = citizen % 2 == 0;
            batch.Add(new InboundEvent
            {
                Channel = "telegram",
                EventId = Id(++_nextEvent),
                Kind = InboundKind.Text,
                ChatId = Id(isPrivate ? citizen : Group),
                ChatKind = isPrivate ? ChatKinds.Private : ChatKinds.Group,
                ChatTitle = isPrivate ? null : "Hỏi đáp thủ tục hành chính xã",
                From = new InboundUser(Id(citizen), Support.Corpus.CitizenName((int)(citizen % 10_000))),
                MessageId = Id(_nextEvent),
                Text = Support.Corpus.Questions[(int)(citizen % Support.Corpus.Questions.Length)],
                SentAt = DateTimeOffset.UtcNow,
            });
        }
        _ticketsOpened += count;
        return batch;
    }

    private InboundEvent StaffReply(long ticket)
    {
        var staff = ticket % 4;
        return new InboundEvent
        {
            Channel = "telegram",
            EventId = Id(++_nextEvent),
            Kind = InboundKind.Text,
            ChatId = Id(StaffChat),
            ChatKind = ChatKinds.Group,
            ChatTitle = "Tổ phản ứng nhanh",
            From = new InboundUser(Id(800_000 + staff), Support.Corpus.StaffName((int)staff)),
            MessageId = Id(_nextEvent),
            Text = Support.Corpus.Answers[(int)(ticket % Support.Corpus.Answers.Length)],
            // The card was never sent (no dispatcher here), so the reply is matched by the card's text.
            ReplyToMessageId = "card-" + Id(ticket),
            ReplyToBot = true,
            ReplyToUser = new InboundUser(Id(FastBotApi.BotId), FastBotApi.BotFirstName, IsBot: true),
            ReplyToText = $"🆕 Phiếu #{ticket} · Telegram, nhóm Hỏi đáp thủ tục hành chính xã",
            SentAt = DateTimeOffset.UtcNow,
        };
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
