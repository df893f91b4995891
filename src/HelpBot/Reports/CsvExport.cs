using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HelpBot.Reports;

/// <summary>
/// One CSV row per ticket, streamed straight from the database so a year of tickets takes no more
/// memory than one. Times are ISO-8601 UTC; durations in seconds; empty where a step was never reached.
/// </summary>
public static class CsvExport
{
    public const string Header =
        "ticket,channel,chat,category,status,assignee,created_at,claimed_at,first_response_at,resolved_at,first_response_seconds,resolution_seconds,reopen_count,"
        + "first_response_work_seconds,resolution_work_seconds,first_response_due_at,resolution_due_at,rating,answered_by_faq,"
        + "visit_village,visit_requested_at,visit_done_at,visit_outcome";

    public static async Task<int> WriteAsync(SqliteConnection connection, TextWriter output, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await output.WriteLineAsync(Header.AsMemory(), cancellationToken);
        var rows = connection.QueryUnbufferedAsync<Row>(
            """
            SELECT t.id AS Id, t.channel AS Channel, coalesce(t.chat_title, t.chat_id) AS Chat, t.category AS Category, t.state AS State,
                   t.assignee_name AS Assignee, t.created_at AS CreatedAt, t.claimed_at AS ClaimedAt,
                   t.first_response_at AS FirstResponseAt, t.resolved_at AS ResolvedAt, t.reopen_count AS ReopenCount,
                   t.first_response_work_seconds AS FirstResponseWorkSeconds, t.resolution_work_seconds AS ResolutionWorkSeconds,
                   t.first_response_due_at AS FirstResponseDueAt, t.resolution_due_at AS ResolutionDueAt, t.rating AS Rating,
                   t.faq_entry_id AS FaqEntryId,
                   v.village AS VisitVillage, v.requested_at AS VisitRequestedAt, v.done_at AS VisitDoneAt, v.outcome AS VisitOutcome
            FROM tickets t
            LEFT JOIN visits v ON v.id = (SELECT max(x.id) FROM visits x WHERE x.ticket_id = t.id)
            WHERE t.created_at >= @from AND t.created_at < @to
            ORDER BY t.id
            """,
            new { from = from.ToUnixTimeMilliseconds(), to = to == DateTimeOffset.MaxValue ? long.MaxValue : to.ToUnixTimeMilliseconds() });
        var count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            // Resolution time only for tickets that are resolved now; a reopened one has none until it is again.
            var resolvedAt = r.State == "Resolved" ? r.ResolvedAt : null;
            var line = string.Join(',',
                r.Id.ToString(CultureInfo.InvariantCulture),
                Field(r.Channel),
                Field(r.Chat),
                Field(r.Category),
                Field(r.State),
                Field(r.Assignee),
                Time(r.CreatedAt),
                Time(r.ClaimedAt),
                Time(r.FirstResponseAt),
                Time(resolvedAt),
                Seconds(r.CreatedAt, r.FirstResponseAt),
                Seconds(r.CreatedAt, resolvedAt),
                r.ReopenCount.ToString(CultureInfo.InvariantCulture),
                Number(r.FirstResponseWorkSeconds),
                Number(r.State == "Resolved" ? r.ResolutionWorkSeconds : null),
                Time(r.FirstResponseDueAt),
                Time(r.ResolutionDueAt),
                Number(r.Rating),
                r.FaqEntryId is null ? "0" : "1",
                Field(r.VisitVillage),
                Time(r.VisitRequestedAt),
                Time(r.VisitDoneAt),
                Field(r.VisitOutcome));
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
            count++;
        }
        await output.FlushAsync(cancellationToken);
        return count;
    }

    private static string Time(long? unixMs) =>
        unixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Seconds(long start, long? end) =>
        end is { } e ? ((e - start) / 1000).ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula.</summary>
    internal static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    // Settable properties, not a positional record: Dapper's constructor matching trips over SQLite's
    // dynamic typing (a NULL column reports as a blob).
    internal sealed class Row
    {
        public long Id { get; set; }
        public string Channel { get; set; } = "";
        public string? Chat { get; set; }
        public string Category { get; set; } = "";
        public string State { get; set; } = "";
        public string? Assignee { get; set; }
        public long CreatedAt { get; set; }
        public long? ClaimedAt { get; set; }
        public long? FirstResponseAt { get; set; }
        public long? ResolvedAt { get; set; }
        public long ReopenCount { get; set; }
        public long? FirstResponseWorkSeconds { get; set; }
        public long? ResolutionWorkSeconds { get; set; }
        public long? FirstResponseDueAt { get; set; }
        public long? ResolutionDueAt { get; set; }
        public long? Rating { get; set; }
        public long? FaqEntryId { get; set; }
        public string? VisitVillage { get; set; }
        public long? VisitRequestedAt { get; set; }
        public long? VisitDoneAt { get; set; }
        public string? VisitOutcome { get; set; }
    }
}
