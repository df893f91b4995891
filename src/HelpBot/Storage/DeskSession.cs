using System.Text.Json;
using Dapper;
using HelpBot.Conversations;
using HelpBot.Outbox;
using HelpBot.Team;
using HelpBot.Tickets;
using Microsoft.Data.Sqlite;

namespace HelpBot.Storage;

/// <summary>
/// One write transaction over the help desk's tables: everything an inbound event changes (inbox row,
/// tickets, events, conversation, outbox rows) commits or rolls back together.
/// </summary>
public sealed class DeskSession : IAsyncDisposable
{
    private readonly Database _database;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private int _savepoints;
    private int _disposed;

    private DeskSession(Database database, SqliteConnection connection, SqliteTransaction transaction)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// Waits for the write gate and begins a write transaction on the database's writer connection, which stays open
    /// between sessions with its compiled statements.
    /// </summary>
    public static async Task<DeskSession> BeginAsync(Database database, CancellationToken cancellationToken = default)
    {
        // Bounded, like SQLite's own busy wait was: a session never released shows up as an error the loops log and
        // retry, not as a bot that silently stops writing.
        if (!await database.WriteGate.WaitAsync(database.WriteGateTimeout, cancellationToken))
        {
            throw new TimeoutException($"No desk session could start for {database.WriteGateTimeout.TotalSeconds:0} s: another one is still open.");
        }
        try
        {
            var connection = await database.TakeWriterAsync(cancellationToken);
            try
            {
                return new DeskSession(database, connection, Database.BeginWrite(connection));
            }
            catch
            {
                await database.ReleaseWriterAsync(connection, failed: true);
                throw;
            }
        }
        catch
        {
            database.WriteGate.Release();
            throw;
        }
    }

    public SqliteConnection Connection => _connection;
    public SqliteTransaction Transaction => _transaction;

    /// <summary>True once an outbox row was added: the dispatcher should wake after the commit.</summary>
    public bool EnqueuedAny { get; private set; }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await _transaction.CommitAsync(cancellationToken);
        _database.Committed();
    }

    /// <summary>Runs <paramref name="work"/> so that if it throws, only its own changes are undone.</summary>
    public async Task<bool> TryInSavepointAsync(Func<Task> work, Action<Exception> onError)
    {
        var name = $"sp{++_savepoints}";
        await _transaction.SaveAsync(name);
        var enqueued = EnqueuedAny;
        try
        {
            await work();
            await _transaction.ReleaseAsync(name);
            return true;
        }
        // A storage failure (disk full, I/O error) is not this event's fault: it fails the whole batch, which is
        // then not acknowledged and comes back. Anything else is the event's own problem and is set aside.
        catch (Exception ex) when (ex is not OperationCanceledException && (ex is not SqliteException sql || sql.SqliteErrorCode == 19))
        {
            await _transaction.RollbackAsync(name);
            // ROLLBACK TO leaves the savepoint open; released, its journal is cut back for the batch's next events.
            await _transaction.ReleaseAsync(name);
            EnqueuedAny = enqueued;
            onError(ex);
            return false;
        }
    }

    /// <summary>Rolls back what was not committed and lets the next session in; the connection stays open for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            try
            {
                await _transaction.DisposeAsync();
            }
            catch
            {
                // A connection whose rollback failed may still hold the write lock: closed, never handed to the next session.
                await _database.ReleaseWriterAsync(_connection, failed: true);
                throw;
            }
            await _database.ReleaseWriterAsync(_connection, failed: false);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    // ---- inbox ----

    /// <summary>Records an event as seen; false if it was seen before (a redelivery).</summary>
    public async Task<bool> TryRecordInboxAsync(string channel, string eventId, DateTimeOffset now, string outcome = "handled") =>
        await _connection.ExecuteAsync(
            """
            INSERT INTO inbox (channel, event_id, received_at, outcome) VALUES (@channel, @eventId, @now, @outcome)
            ON CONFLICT (channel, event_id) DO NOTHING
            """,
            new { channel, eventId, now = now.Ms(), outcome }, _transaction) == 1;

    public Task SetInboxOutcomeAsync(string channel, string eventId, string outcome) =>
        _connection.ExecuteAsync(
            "UPDATE inbox SET outcome = @outcome WHERE channel = @channel AND event_id = @eventId",
            new { channel, eventId, outcome }, _transaction);

    /// <summary>Remembers a chat the bot ignores; true the first time, so it is logged once.</summary>
    public async Task<bool> MarkIgnoredChatAsync(string channel, string chatId, string? title, DateTimeOffset now) =>
        await _connection.ExecuteAsync(
            """
            INSERT INTO ignored_chats (channel, chat_id, title, first_seen_at) VALUES (@channel, @chatId, @title, @now)
            ON CONFLICT (channel, chat_id) DO NOTHING
            """,
            new { channel, chatId, title, now = now.Ms() }, _transaction) == 1;

    // ---- tickets ----

    private const string TicketColumns =
        """
        id AS Id, channel AS Channel, chat_id AS ChatId, chat_title AS ChatTitle, chat_kind AS ChatKind,
        message_id AS MessageId, citizen_id AS CitizenId, citizen_name AS CitizenName, question AS Question,
        category AS Category, state AS State, assignee_id AS AssigneeId, assignee_name AS AssigneeName,
        created_at AS CreatedAt, claimed_at AS ClaimedAt, first_response_at AS FirstResponseAt,
        answered_at AS AnsweredAt, resolved_at AS ResolvedAt, reopen_count AS ReopenCount, updated_at AS UpdatedAt,
        first_response_due_at AS FirstResponseDueAt, first_response_remind_at AS FirstResponseRemindAt,
        resolution_due_at AS ResolutionDueAt, resolution_remind_at AS ResolutionRemindAt,
        first_response_work_seconds AS FirstResponseWorkSeconds, resolution_work_seconds AS ResolutionWorkSeconds,
        faq_entry_id AS FaqEntryId, rating AS Rating
        """;

    public async Task<Ticket> InsertTicketAsync(Ticket ticket)
    {
        ticket.Id = await _connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO tickets (channel, chat_id, chat_title, chat_kind, message_id, citizen_id, citizen_name,
                                 question, category, state, created_at, updated_at,
                                 first_response_due_at, first_response_remind_at, resolution_due_at, resolution_remind_at)
            VALUES (@Channel, @ChatId, @ChatTitle, @ChatKind, @MessageId, @CitizenId, @CitizenName,
                    @Question, @Category, @State, @CreatedAt, @UpdatedAt,
                    @FirstResponseDueAt, @FirstResponseRemindAt, @ResolutionDueAt, @ResolutionRemindAt)
            RETURNING id
            """,
            new
            {
                ticket.Channel, ticket.ChatId, ticket.ChatTitle, ticket.ChatKind, ticket.MessageId, ticket.CitizenId,
                ticket.CitizenName, ticket.Question, ticket.Category, State = ticket.State.ToString(),
                CreatedAt = ticket.CreatedAt.Ms(), UpdatedAt = ticket.UpdatedAt.Ms(),
                FirstResponseDueAt = ticket.FirstResponseDueAt.Ms(), FirstResponseRemindAt = ticket.FirstResponseRemindAt.Ms(),
                ResolutionDueAt = ticket.ResolutionDueAt.Ms(), ResolutionRemindAt = ticket.ResolutionRemindAt.Ms(),
            },
            _transaction);
        return ticket;
    }

    public Task<Ticket?> GetTicketAsync(long id) =>
        _connection.QuerySingleOrDefaultAsync<Ticket>(
            $"SELECT {TicketColumns} FROM tickets WHERE id = @id", new { id }, _transaction);

    public Task UpdateTicketAsync(Ticket ticket) =>
        _connection.ExecuteAsync(
            """
            UPDATE tickets SET
                question = @Question, category = @Category, state = @State, assignee_id = @AssigneeId,
                assignee_name = @AssigneeName, claimed_at = @ClaimedAt, first_response_at = @FirstResponseAt,
                answered_at = @AnsweredAt, resolved_at = @ResolvedAt, reopen_count = @ReopenCount,
                updated_at = @UpdatedAt, first_response_due_at = @FirstResponseDueAt, first_response_remind_at = @FirstResponseRemindAt,
                resolution_due_at = @ResolutionDueAt, resolution_remind_at = @ResolutionRemindAt,
                first_response_work_seconds = @FirstResponseWorkSeconds, resolution_work_seconds = @ResolutionWorkSeconds,
                faq_entry_id = @FaqEntryId, rating = @Rating
            WHERE id = @Id
            """,
            new
            {
                ticket.Id, ticket.Question, ticket.Category, State = ticket.State.ToString(), ticket.AssigneeId,
                ticket.AssigneeName, ClaimedAt = ticket.ClaimedAt.Ms(), FirstResponseAt = ticket.FirstResponseAt.Ms(),
                AnsweredAt = ticket.AnsweredAt.Ms(), ResolvedAt = ticket.ResolvedAt.Ms(),
                ticket.ReopenCount, UpdatedAt = ticket.UpdatedAt.Ms(),
                FirstResponseDueAt = ticket.FirstResponseDueAt.Ms(), FirstResponseRemindAt = ticket.FirstResponseRemindAt.Ms(),
                ResolutionDueAt = ticket.ResolutionDueAt.Ms(), ResolutionRemindAt = ticket.ResolutionRemindAt.Ms(),
                ticket.FirstResponseWorkSeconds, ticket.ResolutionWorkSeconds, ticket.FaqEntryId, ticket.Rating,
            },
            _transaction);

    public async Task AddEventsAsync(IEnumerable<TicketEvent> events)
    {
        foreach (var e in events)
        {
            await _connection.ExecuteAsync(
                """
                INSERT INTO ticket_events (ticket_id, at, kind, from_state, to_state, actor_id, actor_name, detail)
                VALUES (@TicketId, @At, @Kind, @From, @To, @ActorId, @ActorName, @Detail)
                """,
                new
                {
                    e.TicketId, At = e.At.Ms(), e.Kind, From = e.From?.ToString(), To = e.To?.ToString(),
                    ActorId = e.Actor.Id, ActorName = e.Actor.Name, e.Detail,
                },
                _transaction);
        }
    }

    public async Task<IReadOnlyList<TicketEvent>> GetEventsAsync(long ticketId)
    {
        var rows = await _connection.QueryAsync<EventRow>(
            """
            SELECT ticket_id AS TicketId, at AS At, kind AS Kind, from_state AS "From", to_state AS "To", actor_id AS ActorId,
                   actor_name AS ActorName, detail AS Detail
            FROM ticket_events WHERE ticket_id = @ticketId ORDER BY id
            """,
            new { ticketId }, _transaction);
        return rows.Select(r => new TicketEvent(
                r.TicketId, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Kind,
                r.From is null ? null : Enum.Parse<TicketState>(r.From), r.To is null ? null : Enum.Parse<TicketState>(r.To),
                new Actor(r.ActorId ?? "", r.ActorName ?? ""), r.Detail))
            .ToList();
    }

    public async Task<IReadOnlyList<Ticket>> ListOpenTicketsAsync(int limit, string? assigneeId = null) =>
        (await _connection.QueryAsync<Ticket>(
            $"""
            SELECT {TicketColumns} FROM tickets
            WHERE state NOT IN ('Resolved', 'Cancelled') AND (@assigneeId IS NULL OR assignee_id = @assigneeId)
            ORDER BY created_at, id LIMIT @limit
            """,
            new { limit, assigneeId }, _transaction)).AsList();

    public Task<int> CountOpenTicketsAsync(string? assigneeId = null) =>
        _connection.ExecuteScalarAsync<int>(
            """
            SELECT count(*) FROM tickets
            WHERE state NOT IN ('Resolved', 'Cancelled') AND (@assigneeId IS NULL OR assignee_id = @assigneeId)
            """,
            new { assigneeId }, _transaction);

    /// <summary>Answered tickets whose citizen has been silent since <paramref name="answeredBefore"/>.</summary>
    public async Task<IReadOnlyList<Ticket>> ListAnsweredBeforeAsync(DateTimeOffset answeredBefore, int limit) =>
        (await _connection.QueryAsync<Ticket>(
            $"""
            SELECT {TicketColumns} FROM tickets
            WHERE state = 'Answered' AND answered_at <= @answeredBefore
            ORDER BY answered_at LIMIT @limit
            """,
            new { answeredBefore = answeredBefore.Ms(), limit }, _transaction)).AsList();

    /// <summary>Records a service-level notice; false if it was already sent for this cycle of the ticket.</summary>
    public async Task<bool> TryRecordNoticeAsync(long ticketId, string kind, long cycle, DateTimeOffset at) =>
        await _connection.ExecuteAsync(
            """
            INSERT INTO sla_notices (ticket_id, kind, cycle, at) VALUES (@ticketId, @kind, @cycle, @at)
            ON CONFLICT (ticket_id, kind, cycle) DO NOTHING
            """,
            new { ticketId, kind, cycle, at = at.Ms() }, _transaction) == 1;

    /// <summary>Open tickets with a reminder, a breach or an idle claim due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<Ticket>> ListServiceDueAsync(DateTimeOffset now, DateTimeOffset idleBefore, int limit) =>
        (await _connection.QueryAsync<Ticket>(
            $"""
            SELECT {TicketColumns} FROM tickets
            WHERE state NOT IN ('Resolved', 'Cancelled') AND (
                (first_response_at IS NULL AND first_response_remind_at <= @now)
                OR resolution_remind_at <= @now
                OR (state = 'Claimed' AND updated_at <= @idleBefore))
            ORDER BY id LIMIT @limit
            """,
            new { now = now.Ms(), idleBefore = idleBefore.Ms(), limit }, _transaction)).AsList();

    // ---- FAQ ----

    public async Task<IReadOnlyList<HelpBot.Service.FaqEntry>> ListFaqAsync() =>
        (await _connection.QueryAsync<HelpBot.Service.FaqEntry>(
            "SELECT id AS Id, keywords AS Keywords, answer AS Answer FROM faq_entries ORDER BY id", transaction: _transaction)).AsList();

    public Task<long> AddFaqAsync(string keywords, string answer, Actor by, DateTimeOffset at) =>
        _connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO faq_entries (keywords, answer, created_by, created_at) VALUES (@keywords, @answer, @by, @at) RETURNING id
            """,
            new { keywords, answer, by = by.Id, at = at.Ms() }, _transaction);

    /// <summary>Removes an entry; one that already answered tickets stays for their history, with no keywords, matching nothing.</summary>
    public async Task<bool> RemoveFaqAsync(long id) =>
        await _connection.ExecuteAsync(
            "DELETE FROM faq_entries WHERE id = @id AND NOT EXISTS (SELECT 1 FROM tickets WHERE faq_entry_id = @id)",
            new { id }, _transaction) == 1
        || await _connection.ExecuteAsync(
            "UPDATE faq_entries SET keywords = '' WHERE id = @id AND keywords <> ''", new { id }, _transaction) == 1;

    // ---- conversations ----

    public async Task<Conversation> GetConversationAsync(string channel, string chatId, string userId) =>
        await _connection.QuerySingleOrDefaultAsync<Conversation>(
            """
            SELECT channel AS Channel, chat_id AS ChatId, user_id AS UserId, state AS State, ticket_id AS TicketId,
                   pending_message_id AS PendingMessageId, updated_at AS UpdatedAt
            FROM conversations WHERE channel = @channel AND chat_id = @chatId AND user_id = @userId
            """,
            new { channel, chatId, userId }, _transaction)
        ?? new Conversation { Channel = channel, ChatId = chatId, UserId = userId, State = ConversationState.Idle };

    public Task SaveConversationAsync(Conversation c, DateTimeOffset now) =>
        _connection.ExecuteAsync(
            """
            INSERT INTO conversations (channel, chat_id, user_id, state, ticket_id, pending_message_id, updated_at)
            VALUES (@Channel, @ChatId, @UserId, @State, @TicketId, @PendingMessageId, @now)
            ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET
                state = excluded.state, ticket_id = excluded.ticket_id,
                pending_message_id = excluded.pending_message_id, updated_at = excluded.updated_at
            """,
            new { c.Channel, c.ChatId, c.UserId, State = c.State.ToString(), c.TicketId, c.PendingMessageId, now = now.Ms() },
            _transaction);

    // ---- message links ----

    /// <summary>The ticket a message stands for; null when it stands for none, or for several (a batch).</summary>
    public async Task<(long TicketId, string Role)?> FindLinkAsync(string channel, string chatId, string messageId)
    {
        var rows = (await _connection.QueryAsync<LinkRow>(
            "SELECT ticket_id AS TicketId, role AS Role FROM message_links WHERE channel = @channel AND chat_id = @chatId AND message_id = @messageId LIMIT 2",
            new { channel, chatId, messageId }, _transaction)).AsList();
        return rows.Count == 1 ? (rows[0].TicketId, rows[0].Role) : null;
    }

    public Task AddLinkAsync(string channel, string chatId, string messageId, long ticketId, string role, DateTimeOffset now) =>
        _connection.ExecuteAsync(
            """
            INSERT INTO message_links (channel, chat_id, message_id, ticket_id, role, created_at)
            VALUES (@channel, @chatId, @messageId, @ticketId, @role, @now)
            ON CONFLICT (channel, chat_id, message_id, ticket_id) DO NOTHING
            """,
            new { channel, chatId, messageId, ticketId, role, now = now.Ms() }, _transaction);

    // ---- media ----

    /// <summary>Remembers where an attachment can be fetched, so it can be carried to another channel.</summary>
    public Task AddMediaAsync(string channel, string chatId, string messageId, string userId, string kind, string url, DateTimeOffset now) =>
        _connection.ExecuteAsync(
            """
            INSERT INTO media (channel, chat_id, message_id, user_id, kind, url, received_at)
            VALUES (@channel, @chatId, @messageId, @userId, @kind, @url, @now)
            ON CONFLICT (channel, chat_id, message_id) DO NOTHING
            """,
            new { channel, chatId, messageId, userId, kind, url, now = now.Ms() }, _transaction);

    public async Task<StoredMedia?> FindMediaAsync(string channel, string chatId, string messageId) =>
        await _connection.QuerySingleOrDefaultAsync<StoredMedia>(
            "SELECT kind AS Kind, url AS Url FROM media WHERE channel = @channel AND chat_id = @chatId AND message_id = @messageId",
            new { channel, chatId, messageId }, _transaction);

    // ---- team ----

    private const string MemberColumns =
        "channel AS Channel, user_id AS UserId, display_name AS DisplayName, is_admin AS IsAdmin, joined_at AS JoinedAt, joined_how AS JoinedHow, skills AS Skills, away AS Away";

    public Task<TeamMember?> GetMemberAsync(string channel, string userId) =>
        _connection.QuerySingleOrDefaultAsync<TeamMember>(
            $"SELECT {MemberColumns} FROM team_members WHERE channel = @channel AND user_id = @userId",
            new { channel, userId }, _transaction);

    public async Task<IReadOnlyList<TeamMember>> ListMembersAsync() =>
        (await _connection.QueryAsync<TeamMember>(
            $"SELECT {MemberColumns} FROM team_members ORDER BY display_name", transaction: _transaction)).AsList();

    /// <summary>Members with the skill who are not away, least loaded first (skills-based routing).</summary>
    public async Task<IReadOnlyList<(TeamMember Member, long Open)>> SuggestMembersAsync(string category, int limit)
    {
        var members = await _connection.QueryAsync<TeamMember>(
            $"""
            SELECT {MemberColumns} FROM team_members
            WHERE away = 0 AND (',' || skills || ',') LIKE '%,' || @category || ',%'
            """,
            new { category }, _transaction);
        var open = (await _connection.QueryAsync<OpenTickets>(
                """
                SELECT assignee_id AS AssigneeId, count(*) AS Open FROM tickets
                WHERE assignee_id IS NOT NULL AND state NOT IN ('Resolved', 'Cancelled')
                GROUP BY assignee_id
                """, transaction: _transaction))
            .ToDictionary(r => r.AssigneeId, r => r.Open);
        // The roster is a few dozen people: ordered here, as SQLite's BINARY collation would (ordinal).
        return members.Select(m => (Member: m, Open: open.GetValueOrDefault(m.Key)))
            .OrderBy(x => x.Open).ThenBy(x => x.Member.DisplayName, StringComparer.Ordinal)
            .Take(limit).ToList();
    }

    /// <summary>A row of a ticket's history.</summary>
    internal sealed record EventRow(long TicketId, long At, string Kind, string? From, string? To, string? ActorId, string? ActorName, string? Detail);

    /// <summary>The ticket a message stands for, and as what.</summary>
    internal sealed record LinkRow(long TicketId, string Role);

    /// <summary>How many open tickets a member (channel:user id) holds.</summary>
    internal sealed record OpenTickets(string AssigneeId, long Open);

    public Task SetMemberAsync(TeamMember m) =>
        _connection.ExecuteAsync(
            """
            UPDATE team_members SET display_name = @DisplayName, is_admin = @IsAdmin, skills = @Skills, away = @Away
            WHERE channel = @Channel AND user_id = @UserId
            """,
            new { m.Channel, m.UserId, m.DisplayName, m.IsAdmin, m.Skills, m.Away }, _transaction);

    /// <summary>Adds a member, or refreshes the display name of a known one.</summary>
    public Task UpsertMemberAsync(TeamMember m) =>
        _connection.ExecuteAsync(
            """
            INSERT INTO team_members (channel, user_id, display_name, is_admin, joined_at, joined_how, skills)
            VALUES (@Channel, @UserId, @DisplayName, @IsAdmin, @JoinedAt, @JoinedHow, @Skills)
            ON CONFLICT (channel, user_id) DO UPDATE SET display_name = excluded.display_name
            """,
            new { m.Channel, m.UserId, m.DisplayName, m.IsAdmin, JoinedAt = m.JoinedAt.Ms(), m.JoinedHow, m.Skills }, _transaction);

    public async Task<bool> IsBannedAsync(string channel, string userId) =>
        await _connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM banned_users WHERE channel = @channel AND user_id = @userId", new { channel, userId }, _transaction) > 0;

    public async Task<bool> BanAsync(string channel, string userId, DateTimeOffset at, Actor by, string? reason) =>
        await _connection.ExecuteAsync(
            """
            INSERT INTO banned_users (channel, user_id, banned_at, banned_by, reason) VALUES (@channel, @userId, @at, @by, @reason)
            ON CONFLICT (channel, user_id) DO NOTHING
            """,
            new { channel, userId, at = at.Ms(), by = by.Id, reason }, _transaction) == 1;

    public async Task<bool> UnbanAsync(string channel, string userId) =>
        await _connection.ExecuteAsync(
            "DELETE FROM banned_users WHERE channel = @channel AND user_id = @userId", new { channel, userId }, _transaction) == 1;

    public Task RemoveMemberAsync(string channel, string userId) =>
        _connection.ExecuteAsync(
            "DELETE FROM team_members WHERE channel = @channel AND user_id = @userId", new { channel, userId }, _transaction);

    public Task AddAuditEventAsync(DateTimeOffset at, Actor actor, string action) =>
        _connection.ExecuteAsync(
            "INSERT INTO audit_events (at, actor_id, actor_name, action) VALUES (@at, @actorId, @actorName, @action)",
            new { at = at.Ms(), actorId = actor.Id, actorName = actor.Name, action }, _transaction);

    // ---- outbox ----

    public async Task<long> EnqueueAsync(
        string channel, string chatId, string chatKind, int priority, long? ticketId, OutboundMessage message, DateTimeOffset now)
    {
        EnqueuedAny = true;
        var payload = OutboundJson.Write(message);
        var kind = message.Kind.ToString();
        return await _connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO outbox (channel, chat_id, chat_kind, kind, priority, ticket_id, payload, next_attempt_at, created_at)
            VALUES (@channel, @chatId, @chatKind, @kind, @priority, @ticketId, @payload, @now, @now)
            RETURNING id
            """,
            new { channel, chatId, chatKind, kind, priority, ticketId, payload, now = now.Ms() }, _transaction);
    }
}

/// <summary>An attachment's kind (<see cref="HelpBot.Inbox.InboundKind"/> name) and public address.</summary>
public sealed record StoredMedia(string Kind, string Url);
