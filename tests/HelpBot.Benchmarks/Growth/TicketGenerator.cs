using System.Globalization;
using HelpBot.Benchmarks.Support;
using HelpBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelpBot.Benchmarks.Growth;

/// <summary>
/// Fills a HelpBot database (schema from HelpBot's own migrations) with a year of realistic tickets: direct
/// inserts in one transaction through prepared commands. Old tickets are resolved (or cancelled); the last
/// week holds the open ones. Each ticket has its audit trail in ticket_events and, when asked, the traffic
/// that a real run leaves behind (inbox rows, message links, sent outbox rows).
/// </summary>
public static class TicketGenerator
{
    public const string Channel = "telegram";
    public const long GroupChatId = -1001000000002;
    public const string GroupTitle = "Hỏi đáp thủ tục hành chính xã";
    public const long StaffChatId = -1001000000001;
    private const int StaffCount = 20;
    private const long FirstCitizenId = 50_000_000;
    // Inbox keys of past traffic: another bot id than the run's, so no new update is taken for a redelivery.
    private const long OldBotId = 6_999_999_999;

    private static readonly string[] Categories = ["cu-tru", "ho-tich", "can-cuoc", "dat-dai", "bao-tro", "bhyt", "dich-vu-cong", "ho-kinh-doanh", "khac"];

    /// <summary>The commune's volume: about 3,300 questions a month.</summary>
    public const double TicketsPerDay = 110;

    public static int DaysFor(int tickets, double perDay = TicketsPerDay) => Math.Max(1, (int)Math.Ceiling(tickets / perDay));

    public static async Task<GeneratedDatabase> CreateAsync(string path, int tickets, DateTimeOffset now, bool withTraffic = true, int days = 365)
    {
        await using var database = new Database($"Data Source={path}");
        await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        long events = 0;
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            var insert = new Inserter(connection, transaction, withTraffic);
            var random = new Random(8);
            var end = now.AddMinutes(-30).ToUnixTimeMilliseconds();
            var span = (long)TimeSpan.FromDays(days).TotalMilliseconds;
            var recent = end - (long)TimeSpan.FromDays(7).TotalMilliseconds;
            for (var i = 0; i < tickets; i++)
            {
                // Evenly spread in time, oldest first, as ids grow.
                var created = end - span + (long)((i + random.NextDouble()) * span / tickets);
                events += insert.Ticket(i + 1, created, created >= recent, end, random);
            }
            await transaction.CommitAsync();
            await Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        SqliteConnection.ClearAllPools();
        return new GeneratedDatabase(path, tickets, events, started.Elapsed, new FileInfo(path).Length);
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Prepared inserts, one set of parameters each, reused for every row.</summary>
    private sealed class Inserter
    {
        private readonly SqliteCommand _ticket;
        private readonly SqliteCommand _event;
        private readonly SqliteCommand? _inbox;
        private readonly SqliteCommand? _link;
        private readonly SqliteCommand? _outbox;
        private readonly List<(long Ticket, long At, string Kind, string? From, string? To, string Actor, string ActorName, string? Detail)> _history = [];
        private long _messageId = 1_000_000;
        private long _updateId = 1;

        public Inserter(SqliteConnection connection, SqliteTransaction transaction, bool withTraffic)
        {
            _ticket = Command(connection, transaction,
                """
                INSERT INTO tickets (id, channel, chat_id, chat_title, chat_kind, message_id, citizen_id, citizen_name, question,
                                     category, state, assignee_id, assignee_name, created_at, claimed_at, first_response_at,
                                     answered_at, resolved_at, reopen_count, updated_at)
                VALUES ($id, 'telegram', $chat, $title, $kind, $message, $citizen, $name, $question,
                        $category, $state, $assignee, $assigneeName, $created, $claimed, $firstResponse,
                        $answered, $resolved, $reopens, $updated)
                """,
                "$id", "$chat", "$title", "$kind", "$message", "$citizen", "$name", "$question", "$category", "$state", "$assignee",
                "$assigneeName", "$created", "$claimed", "$firstResponse", "$answered", "$resolved", "$reopens", "$updated");
            _event = Command(connection, transaction,
                """
                INSERT INTO ticket_events (ticket_id, at, kind, from_state, to_state, actor_id, actor_name, detail)
                VALUES ($ticket, $at, $kind, $from, $to, $actor, $actorName, $detail)
                """,
                "$ticket", "$at", "$kind", "$from", "$to", "$actor", "$actorName", "$detail");
            if (!withTraffic)
            {
                return;
            }
            _inbox = Command(connection, transaction,
                "INSERT INTO inbox (channel, event_id, received_at, outcome) VALUES ('telegram', $event, $at, 'handled')",
                "$event", "$at");
            _link = Command(connection, transaction,
                "INSERT INTO message_links (channel, chat_id, message_id, ticket_id, role, created_at) VALUES ('telegram', $chat, $message, $ticket, $role, $at)",
                "$chat", "$message", "$ticket", "$role", "$at");
            _outbox = Command(connection, transaction,
                """
                INSERT INTO outbox (channel, chat_id, chat_kind, kind, priority, ticket_id, payload, state, attempts, next_attempt_at, created_at, sent_at)
                VALUES ('telegram', $chat, $kind, 'Text', $priority, $ticket, $payload, 'sent', 1, $at, $at, $at)
                """,
                "$chat", "$kind", "$priority", "$ticket", "$payload", "$at");
        }

        /// <summary>Inserts one ticket with its history; returns the number of events written.</summary>
        public long Ticket(long id, long created, bool recent, long end, Random random)
        {
            var isGroup = random.Next(2) == 0;
            var citizen = FirstCitizenId + id;
            var chat = isGroup ? GroupChatId : citizen;
            var name = Corpus.CitizenName((int)(id % 10_000));
            var question = Corpus.Questions[(int)(id % Corpus.Questions.Length)];
            var staff = random.Next(StaffCount);
            var staffId = $"telegram:{800_000 + staff}";
            var staffName = Corpus.StaffName(staff);
            var questionMessage = _messageId++;

            // Open states only among the last week's tickets; older ones were resolved or cancelled long ago.
            var roll = random.NextDouble();
            var state = recent
                ? roll switch { < 0.15 => "New", < 0.25 => "Claimed", < 0.55 => "Answered", < 0.58 => "Reopened", < 0.98 => "Resolved", _ => "Cancelled" }
                : roll < 0.95 ? "Resolved" : "Cancelled";
            // An answer nobody disputed resolves after a day (HelpBot's default): older ones are resolved already.
            if (state == "Answered" && created < end - (long)TimeSpan.FromHours(20).TotalMilliseconds)
            {
                state = "Resolved";
            }
            long? claimed = null, firstResponse = null, answered = null, resolved = null;
            var reopens = state == "Reopened" || (state == "Resolved" && random.NextDouble() < 0.03) ? 1 : 0;
            var t = created;
            long events = 0;
            Event(id, created, "Created", null, "New", $"telegram:{citizen}", name, null);
            events++;
            if (state is not ("New" or "Cancelled"))
            {
                claimed = t = Math.Min(end, t + Minutes(random, 25));
                Event(id, t, "Claimed", "New", "Claimed", staffId, staffName, null);
                events++;
                if (state != "Claimed")
                {
                    firstResponse = answered = t = Math.Min(end, t + Minutes(random, 20));
                    Event(id, t, "Answered", "Claimed", "Answered", staffId, staffName, null);
                    events++;
                    if (reopens > 0)
                    {
                        t = Math.Min(end, t + Minutes(random, 120));
                        Event(id, t, "Reopened", "Answered", "Reopened", $"telegram:{citizen}", name, "citizen");
                        events++;
                        if (state != "Reopened")
                        {
                            t = Math.Min(end, t + Minutes(random, 30));
                            Event(id, t, "Claimed", "Reopened", "Claimed", staffId, staffName, null);
                            answered = t = Math.Min(end, t + Minutes(random, 20));
                            Event(id, t, "Answered", "Claimed", "Answered", staffId, staffName, null);
                            events += 2;
                        }
                    }
                    if (state == "Resolved")
                    {
                        // Most citizens press "solved" within hours; the rest resolve after a day by themselves.
                        var byCitizen = random.NextDouble() < 0.7;
                        resolved = t = Math.Min(end, t + (byCitizen ? Minutes(random, 240) : (long)TimeSpan.FromDays(1).TotalMilliseconds));
                        if (byCitizen)
                        {
                            Event(id, t, "CitizenSolved", null, null, $"telegram:{citizen}", name, null);
                            events++;
                        }
                        Event(id, t, "Resolved", "Answered", "Resolved", byCitizen ? $"telegram:{citizen}" : "system", byCitizen ? name : "HelpBot", byCitizen ? "citizen" : "auto");
                        events++;
                    }
                }
            }
            else if (state == "Cancelled")
            {
                resolved = t = Math.Min(end, t + Minutes(random, 60));
                Event(id, t, "Cancelled", "New", "Cancelled", staffId, staffName, "trùng câu hỏi");
                events++;
            }
            var owner = claimed is null ? null : staffId;
            Set(_ticket, id, chat, isGroup ? GroupTitle : null, isGroup ? "group" : "private", Id(questionMessage), $"{citizen}", name, question,
                Categories[(int)(id % Categories.Length)], state, owner, owner is null ? null : staffName, created, claimed, firstResponse,
                answered, resolved, reopens, t);
            _ticket.ExecuteNonQuery();
            WriteHistory();

            if (_inbox is not null)
            {
                Traffic(id, created, chat, isGroup, questionMessage, claimed is not null);
            }
            return events;
        }

        private void Traffic(long ticket, long created, long chat, bool isGroup, long questionMessage, bool answered)
        {
            Set(_inbox!, $"{OldBotId}:{_updateId++}", created);
            _inbox!.ExecuteNonQuery();
            Link(chat, questionMessage, ticket, "question", created);
            Link(chat, _messageId++, ticket, "ack", created);
            Link(StaffChatId, _messageId++, ticket, "card", created);
            Outbox(chat, isGroup ? "group" : "private", 2, ticket, created);
            Outbox(StaffChatId, "staff", 1, ticket, created);
            if (answered)
            {
                Set(_inbox!, $"{OldBotId}:{_updateId++}", created);
                _inbox!.ExecuteNonQuery();
                Link(StaffChatId, _messageId++, ticket, "staff-answer", created);
                Link(chat, _messageId++, ticket, "answer", created);
                Outbox(chat, isGroup ? "group" : "private", 0, ticket, created);
                Outbox(StaffChatId, "staff", 1, ticket, created);
            }
        }

        private void Link(long chat, long message, long ticket, string role, long at)
        {
            Set(_link!, Id(chat), Id(message), ticket, role, at);
            _link!.ExecuteNonQuery();
        }

        private void Outbox(long chat, string kind, int priority, long ticket, long at)
        {
            Set(_outbox!, Id(chat), kind, priority, ticket, """{"Kind":"Text","Text":"Dạ, cán bộ xã đã nhận câu hỏi của bác ạ."}""", at);
            _outbox!.ExecuteNonQuery();
        }

        // The ticket's history is built first and written after the ticket row: ticket_events references tickets.
        private void Event(long ticket, long at, string kind, string? from, string? to, string actor, string actorName, string? detail) =>
            _history.Add((ticket, at, kind, from, to, actor, actorName, detail));

        private void WriteHistory()
        {
            foreach (var e in _history)
            {
                Set(_event, e.Ticket, e.At, e.Kind, e.From, e.To, e.Actor, e.ActorName, e.Detail);
                _event.ExecuteNonQuery();
            }
            _history.Clear();
        }

        private static long Minutes(Random random, double mean) => (long)(-Math.Log(1 - random.NextDouble()) * mean * 60_000) + 1000;

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

        private static void Set(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var p in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = p });
            }
            command.Prepare();
            return command;
        }
    }
}

public sealed record GeneratedDatabase(string Path, int Tickets, long Events, TimeSpan Elapsed, long Bytes);
