using Dapper;
using HelpBot.Categories;
using Microsoft.Data.Sqlite;

namespace HelpBot.Reports;

/// <summary>A period to report on: [From, To) in UTC, with its name for the heading.</summary>
public sealed record ReportPeriod(string Name, DateTimeOffset From, DateTimeOffset To);

public sealed record DurationFigures
{
    public long Count { get; init; }
    public double? MedianSeconds { get; init; }
    public double? P90Seconds { get; init; }
}

/// <summary>How many tickets met their category's targets.</summary>
public sealed record OnTimeFigures
{
    public long Responded { get; init; }
    public long RespondedOnTime { get; init; }
    public long Resolved { get; init; }
    public long ResolvedOnTime { get; init; }

    public double? FirstResponseShare => Responded == 0 ? null : (double)RespondedOnTime / Responded;
    public double? ResolutionShare => Resolved == 0 ? null : (double)ResolvedOnTime / Resolved;
}

public sealed record MemberFigures
{
    public string ActorId { get; init; } = "";
    public string Name { get; init; } = "";
    public long Claimed { get; init; }
    public long Answered { get; init; }
    public long Resolved { get; init; }
    public double? MedianFirstResponseSeconds { get; init; }
    public double? AverageRating { get; init; }
    public long Ratings { get; init; }
}

/// <summary>Citizens' satisfaction: how many rated, the average, and how many gave each score 1–5.</summary>
public sealed record RatingFigures
{
    public long Count { get; init; }
    public double? Average { get; init; }
    public long One { get; init; }
    public long Two { get; init; }
    public long Three { get; init; }
    public long Four { get; init; }
    public long Five { get; init; }

    public IReadOnlyList<long> Distribution => [One, Two, Three, Four, Five];
}

/// <summary>One line of a breakdown by category or by support group.</summary>
public sealed record BreakdownFigures
{
    public string Key { get; init; } = "";
    public long Received { get; init; }
    public long Answered { get; init; }
    public long Resolved { get; init; }
    public long Reopened { get; init; }
    public long Open { get; init; }
    public double? MedianFirstResponseSeconds { get; init; }
    public long Responded { get; init; }
    public long RespondedOnTime { get; init; }

    public double? OnTimeShare => Responded == 0 ? null : (double)RespondedOnTime / Responded;
}

public sealed record StatsReport(
    ReportPeriod Period,
    long Received,
    IReadOnlyDictionary<string, long> ByState,
    long Answered,
    long Resolved,
    long Reopened,
    long OpenNow,
    DurationFigures FirstResponse,
    DurationFigures Resolution,
    OnTimeFigures OnTime,
    IReadOnlyList<MemberFigures> Members,
    string? MemberName = null)
{
    /// <summary>The same durations counted in working time only.</summary>
    public DurationFigures FirstResponseWork { get; init; } = new();
    public DurationFigures ResolutionWork { get; init; } = new();
    public RatingFigures Ratings { get; init; } = new();
}

/// <summary>What to report: a period, optionally one member's tickets, against these categories' targets.</summary>
public sealed record StatsQuery(ReportPeriod Period, IReadOnlyList<Category> Categories, string? AssigneeId = null, string? MemberName = null);

/// <summary>
/// The figures the commune reports. Every duration is computed in SQL from the stored UTC times;
/// percentiles are nearest-rank (the smallest value with at least p of the values at or below it).
/// Tickets count in the period they were received; a reopened ticket's resolution time runs from the
/// question to its final resolution. "On time" compares with the due times stored on the ticket (working
/// time); tickets from before due times existed fall back to the category's targets in clock time.
/// </summary>
public static class Statistics
{
    public static Task<StatsReport> ComputeAsync(SqliteConnection connection, ReportPeriod period, DateTimeOffset now, SqliteTransaction? transaction = null) =>
        ComputeAsync(connection, new StatsQuery(period, CategoryCatalog.Defaults()), transaction);

    public static async Task<StatsReport> ComputeAsync(SqliteConnection connection, StatsQuery query, SqliteTransaction? transaction = null)
    {
        var (args, targets) = Parameters(query);
        const string InPeriod = "created_at >= @from AND created_at < @to AND (@assignee IS NULL OR assignee_id = @assignee)";

        var byState = (await connection.QueryAsync<StateCount>(
                $"SELECT state AS State, count(*) AS Count FROM tickets WHERE {InPeriod} GROUP BY state", args, transaction))
            .ToDictionary(r => r.State, r => r.Count);

        var counts = await connection.QuerySingleAsync<PeriodCounts>(
            """
            SELECT
                (SELECT count(*) FROM tickets WHERE first_response_at >= @from AND first_response_at < @to
                    AND (@assignee IS NULL OR assignee_id = @assignee)) AS Answered,
                (SELECT count(*) FROM tickets WHERE state = 'Resolved' AND resolved_at >= @from AND resolved_at < @to
                    AND (@assignee IS NULL OR assignee_id = @assignee)) AS Resolved,
                (SELECT count(*) FROM ticket_events e WHERE e.kind = 'Reopened' AND e.at >= @from AND e.at < @to
                    AND (@assignee IS NULL OR e.ticket_id IN (SELECT id FROM tickets WHERE assignee_id = @assignee))) AS Reopened,
                (SELECT count(*) FROM tickets WHERE state NOT IN ('Resolved', 'Cancelled') AND (@assignee IS NULL OR assignee_id = @assignee)) AS OpenNow
            """, args, transaction);

        var firstResponse = await PercentilesAsync(connection, transaction,
            $"SELECT (first_response_at - created_at) / 1000.0 AS seconds FROM tickets WHERE {InPeriod} AND first_response_at IS NOT NULL", args);
        var resolution = await PercentilesAsync(connection, transaction,
            $"SELECT (resolved_at - created_at) / 1000.0 AS seconds FROM tickets WHERE {InPeriod} AND state = 'Resolved'", args);

        var firstResponseWork = await PercentilesAsync(connection, transaction,
            $"SELECT first_response_work_seconds AS seconds FROM tickets WHERE {InPeriod} AND first_response_work_seconds IS NOT NULL", args);
        var resolutionWork = await PercentilesAsync(connection, transaction,
            $"SELECT resolution_work_seconds AS seconds FROM tickets WHERE {InPeriod} AND state = 'Resolved' AND resolution_work_seconds IS NOT NULL", args);
        var ratings = await connection.QuerySingleAsync<RatingFigures>(
            $"""
            SELECT count(rating) AS Count, avg(rating) AS Average,
                   coalesce(sum(rating = 1), 0) AS One, coalesce(sum(rating = 2), 0) AS Two, coalesce(sum(rating = 3), 0) AS Three,
                   coalesce(sum(rating = 4), 0) AS Four, coalesce(sum(rating = 5), 0) AS Five
            FROM tickets WHERE {InPeriod}
            """, args, transaction);

        var onTime = await connection.QuerySingleAsync<OnTimeFigures>(
            $"""
            WITH {targets}
            SELECT
                count(t.first_response_at) AS Responded,
                coalesce(sum(t.first_response_at <= coalesce(t.first_response_due_at, t.created_at + g.fr)), 0) AS RespondedOnTime,
                coalesce(sum(t.state = 'Resolved'), 0) AS Resolved,
                coalesce(sum(t.state = 'Resolved' AND t.resolved_at <= coalesce(t.resolution_due_at, t.created_at + g.res)), 0) AS ResolvedOnTime
            FROM tickets t JOIN targets g ON g.code = t.category
            WHERE t.{InPeriod}
            """, args, transaction);

        var members = (await connection.QueryAsync<MemberFigures>(
            """
            -- MATERIALIZED: each part is computed once, not again for every member it is asked about.
            WITH claims AS MATERIALIZED (
                SELECT DISTINCT e.actor_id, e.ticket_id FROM ticket_events e
                WHERE e.kind = 'Claimed' AND e.at >= @from AND e.at < @to
            ),
            answers AS MATERIALIZED (
                SELECT e.actor_id, e.ticket_id, min(e.at) AS at FROM ticket_events e
                WHERE e.kind = 'Answered' AND e.at >= @from AND e.at < @to
                GROUP BY e.actor_id, e.ticket_id
            ),
            firsts AS MATERIALIZED (
                SELECT t.assignee_id AS actor_id, (t.first_response_at - t.created_at) / 1000.0 AS seconds
                FROM tickets t
                WHERE t.first_response_at >= @from AND t.first_response_at < @to AND t.assignee_id IS NOT NULL
            ),
            ranked AS MATERIALIZED (
                SELECT actor_id, seconds,
                       row_number() OVER (PARTITION BY actor_id ORDER BY seconds) AS rn,
                       count(*) OVER (PARTITION BY actor_id) AS n
                FROM firsts
            ),
            medians AS MATERIALIZED (
                SELECT actor_id, min(CASE WHEN rn >= 0.5 * n THEN seconds END) AS median FROM ranked GROUP BY actor_id
            ),
            resolved AS MATERIALIZED (
                SELECT assignee_id AS actor_id, count(*) AS n FROM tickets
                WHERE state = 'Resolved' AND resolved_at >= @from AND resolved_at < @to AND assignee_id IS NOT NULL
                GROUP BY assignee_id
            ),
            ratings AS MATERIALIZED (
                SELECT assignee_id AS actor_id, avg(rating) AS average, count(rating) AS n FROM tickets
                WHERE created_at >= @from AND created_at < @to AND assignee_id IS NOT NULL
                GROUP BY assignee_id
            ),
            actors AS MATERIALIZED (
                SELECT actor_id FROM claims UNION SELECT actor_id FROM answers UNION SELECT actor_id FROM resolved
            )
            SELECT
                a.actor_id AS ActorId,
                coalesce((SELECT actor_name FROM ticket_events WHERE actor_id = a.actor_id ORDER BY id DESC LIMIT 1), a.actor_id) AS Name,
                (SELECT count(*) FROM claims c WHERE c.actor_id = a.actor_id) AS Claimed,
                (SELECT count(*) FROM answers x WHERE x.actor_id = a.actor_id) AS Answered,
                coalesce((SELECT n FROM resolved r WHERE r.actor_id = a.actor_id), 0) AS Resolved,
                (SELECT median FROM medians m WHERE m.actor_id = a.actor_id) AS MedianFirstResponseSeconds,
                (SELECT average FROM ratings g WHERE g.actor_id = a.actor_id) AS AverageRating,
                coalesce((SELECT n FROM ratings g WHERE g.actor_id = a.actor_id), 0) AS Ratings
            FROM actors a
            WHERE a.actor_id LIKE '%:%' AND (@assignee IS NULL OR a.actor_id = @assignee)
            ORDER BY Answered DESC, Name
            """, args, transaction)).AsList();

        return new StatsReport(
            query.Period, byState.Values.Sum(), byState, counts.Answered, counts.Resolved, counts.Reopened, counts.OpenNow,
            firstResponse, resolution, onTime, members, query.MemberName)
        {
            FirstResponseWork = firstResponseWork,
            ResolutionWork = resolutionWork,
            Ratings = ratings,
        };
    }

    /// <summary>
    /// The period's tickets by category, by channel, or by support group as <c>channel:title</c> (each
    /// channel's private chats together as one line, <c>channel:</c>).
    /// </summary>
    public static async Task<IReadOnlyList<BreakdownFigures>> BreakdownAsync(SqliteConnection connection, StatsQuery query, Breakdown by, SqliteTransaction? transaction = null)
    {
        var (args, targets) = Parameters(query);
        var key = by switch
        {
            Breakdown.Group => "t.channel || ':' || CASE WHEN t.chat_kind = 'private' THEN '' ELSE coalesce(t.chat_title, t.chat_id) END",
            Breakdown.Channel => "t.channel",
            _ => "t.category",
        };
        return (await connection.QueryAsync<BreakdownFigures>(
            $"""
            WITH {targets},
            rows AS (
                SELECT {key} AS k, t.created_at, t.first_response_at, t.first_response_due_at, t.state, t.reopen_count,
                       (t.first_response_at - t.created_at) / 1000.0 AS seconds, g.fr AS fr
                FROM tickets t JOIN targets g ON g.code = t.category
                WHERE t.created_at >= @from AND t.created_at < @to AND (@assignee IS NULL OR t.assignee_id = @assignee)
            ),
            ranked AS (
                SELECT k, seconds, row_number() OVER (PARTITION BY k ORDER BY seconds) AS rn, count(*) OVER (PARTITION BY k) AS n
                FROM rows WHERE seconds IS NOT NULL
            ),
            medians AS (SELECT k, min(CASE WHEN rn >= 0.5 * n THEN seconds END) AS median FROM ranked GROUP BY k)
            SELECT r.k AS Key, count(*) AS Received, count(r.first_response_at) AS Answered,
                   coalesce(sum(r.state = 'Resolved'), 0) AS Resolved, coalesce(sum(r.reopen_count > 0), 0) AS Reopened,
                   coalesce(sum(r.state NOT IN ('Resolved', 'Cancelled')), 0) AS Open,
                   (SELECT median FROM medians m WHERE m.k = r.k) AS MedianFirstResponseSeconds,
                   count(r.first_response_at) AS Responded,
                   coalesce(sum(r.first_response_at <= coalesce(r.first_response_due_at, r.created_at + r.fr)), 0) AS RespondedOnTime
            FROM rows r
            GROUP BY r.k
            ORDER BY Received DESC, Key
            """, args, transaction)).AsList();
    }

    /// <summary>The period's bounds and a <c>targets(code, fr, res)</c> table of every category, all as parameters.</summary>
    private static (DynamicParameters Args, string TargetsCte) Parameters(StatsQuery query)
    {
        var args = new DynamicParameters();
        args.Add("from", query.Period.From.ToUnixTimeMilliseconds());
        args.Add("to", query.Period.To.ToUnixTimeMilliseconds());
        args.Add("assignee", query.AssigneeId);
        var rows = new List<string>();
        for (var i = 0; i < query.Categories.Count; i++)
        {
            var c = query.Categories[i];
            args.Add($"c{i}", c.Code);
            args.Add($"f{i}", (long)c.FirstResponseTarget.TotalMilliseconds);
            args.Add($"r{i}", (long)c.ResolutionTarget.TotalMilliseconds);
            rows.Add($"(@c{i}, @f{i}, @r{i})");
        }
        // A ticket whose category left the catalogue is measured against the catalogue's loosest targets.
        args.Add("anyFr", query.Categories.Count == 0 ? long.MaxValue : query.Categories.Max(c => (long)c.FirstResponseTarget.TotalMilliseconds));
        args.Add("anyRes", query.Categories.Count == 0 ? long.MaxValue : query.Categories.Max(c => (long)c.ResolutionTarget.TotalMilliseconds));
        var known = rows.Count == 0 ? "SELECT NULL, NULL, NULL WHERE 0" : $"VALUES {string.Join(", ", rows)}";
        var cte = $"""
            known(code, fr, res) AS ({known}),
            targets(code, fr, res) AS (
                SELECT code, fr, res FROM known
                UNION ALL
                SELECT DISTINCT t.category, @anyFr, @anyRes FROM tickets t
                WHERE t.created_at >= @from AND t.created_at < @to AND t.category NOT IN (SELECT code FROM known)
            )
            """;
        return (args, cte);
    }

    private static async Task<DurationFigures> PercentilesAsync(SqliteConnection connection, SqliteTransaction? transaction, string durations, DynamicParameters args) =>
        await connection.QuerySingleAsync<DurationFigures>(
            $"""
            WITH d AS ({durations}),
            r AS (SELECT seconds, row_number() OVER (ORDER BY seconds) AS rn, count(*) OVER () AS n FROM d)
            SELECT count(*) AS Count,
                   min(CASE WHEN rn >= 0.5 * n THEN seconds END) AS MedianSeconds,
                   min(CASE WHEN rn >= 0.9 * n THEN seconds END) AS P90Seconds
            FROM r
            """, args, transaction);
}

/// <summary>How many of the period's tickets are in one state.</summary>
internal sealed record StateCount(string State, long Count);

/// <summary>The period's answered, resolved and reopened tickets, and those open now.</summary>
internal sealed record PeriodCounts(long Answered, long Resolved, long Reopened, long OpenNow);

/// <summary>What a <c>/stats</c> breakdown splits the tickets by.</summary>
public enum Breakdown { Category, Group, Channel }
