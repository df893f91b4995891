using Dapper;
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

public sealed record MemberFigures
{
    public string ActorId { get; init; } = "";
    public string Name { get; init; } = "";
    public long Claimed { get; init; }
    public long Answered { get; init; }
    public long Resolved { get; init; }
    public double? MedianFirstResponseSeconds { get; init; }
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
    IReadOnlyList<MemberFigures> Members);

/// <summary>
/// The figures the commune reports. Every duration is computed in SQL from the stored UTC times;
/// percentiles are nearest-rank (the smallest value with at least p of the values at or below it).
/// </summary>
public static class Statistics
{
    public static async Task<StatsReport> ComputeAsync(SqliteConnection connection, ReportPeriod period, DateTimeOffset now, SqliteTransaction? transaction = null)
    {
        var args = new { from = period.From.ToUnixTimeMilliseconds(), to = period.To.ToUnixTimeMilliseconds() };

        var byState = (await connection.QueryAsync<(string State, long Count)>(
                """
                SELECT state, count(*) FROM tickets
                WHERE created_at >= @from AND created_at < @to
                GROUP BY state
                """, args, transaction))
            .ToDictionary(r => r.State, r => r.Count);

        var counts = await connection.QuerySingleAsync<(long Answered, long Resolved, long Reopened, long OpenNow)>(
            """
            SELECT
                (SELECT count(*) FROM tickets WHERE first_response_at >= @from AND first_response_at < @to),
                (SELECT count(*) FROM tickets WHERE state = 'Resolved' AND resolved_at >= @from AND resolved_at < @to),
                (SELECT count(*) FROM ticket_events WHERE kind = 'Reopened' AND at >= @from AND at < @to),
                (SELECT count(*) FROM tickets WHERE state NOT IN ('Resolved', 'Cancelled'))
            """, args, transaction);

        var firstResponse = await PercentilesAsync(connection, transaction,
            """
            SELECT (first_response_at - created_at) / 1000.0 AS seconds FROM tickets
            WHERE created_at >= @from AND created_at < @to AND first_response_at IS NOT NULL
            """, args);
        var resolution = await PercentilesAsync(connection, transaction,
            """
            SELECT (resolved_at - created_at) / 1000.0 AS seconds FROM tickets
            WHERE created_at >= @from AND created_at < @to AND state = 'Resolved'
            """, args);

        var members = (await connection.QueryAsync<MemberFigures>(
            """
            WITH claims AS (
                SELECT DISTINCT e.actor_id, e.ticket_id FROM ticket_events e
                WHERE e.kind = 'Claimed' AND e.at >= @from AND e.at < @to
            ),
            answers AS (
                SELECT e.actor_id, e.ticket_id, min(e.at) AS at FROM ticket_events e
                WHERE e.kind = 'Answered' AND e.at >= @from AND e.at < @to
                GROUP BY e.actor_id, e.ticket_id
            ),
            firsts AS (
                SELECT t.assignee_id AS actor_id, (t.first_response_at - t.created_at) / 1000.0 AS seconds
                FROM tickets t
                WHERE t.first_response_at >= @from AND t.first_response_at < @to AND t.assignee_id IS NOT NULL
            ),
            ranked AS (
                SELECT actor_id, seconds,
                       row_number() OVER (PARTITION BY actor_id ORDER BY seconds) AS rn,
                       count(*) OVER (PARTITION BY actor_id) AS n
                FROM firsts
            ),
            medians AS (
                SELECT actor_id, min(CASE WHEN rn >= 0.5 * n THEN seconds END) AS median FROM ranked GROUP BY actor_id
            ),
            resolved AS (
                SELECT assignee_id AS actor_id, count(*) AS n FROM tickets
                WHERE state = 'Resolved' AND resolved_at >= @from AND resolved_at < @to AND assignee_id IS NOT NULL
                GROUP BY assignee_id
            ),
            actors AS (
                SELECT actor_id FROM claims UNION SELECT actor_id FROM answers UNION SELECT actor_id FROM resolved
            )
            SELECT
                a.actor_id AS ActorId,
                coalesce((SELECT actor_name FROM ticket_events WHERE actor_id = a.actor_id ORDER BY id DESC LIMIT 1), a.actor_id) AS Name,
                (SELECT count(*) FROM claims c WHERE c.actor_id = a.actor_id) AS Claimed,
                (SELECT count(*) FROM answers x WHERE x.actor_id = a.actor_id) AS Answered,
                coalesce((SELECT n FROM resolved r WHERE r.actor_id = a.actor_id), 0) AS Resolved,
                (SELECT median FROM medians m WHERE m.actor_id = a.actor_id) AS MedianFirstResponseSeconds
            FROM actors a
            WHERE a.actor_id LIKE '%:%'
            ORDER BY Answered DESC, Name
            """, args, transaction)).AsList();

        return new StatsReport(
            period,
            byState.Values.Sum(),
            byState,
            counts.Answered,
            counts.Resolved,
            counts.Reopened,
            counts.OpenNow,
            firstResponse,
            resolution,
            members);
    }

    private static async Task<DurationFigures> PercentilesAsync(SqliteConnection connection, SqliteTransaction? transaction, string durations, object args) =>
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
