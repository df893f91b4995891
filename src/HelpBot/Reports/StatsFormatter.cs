using System.Globalization;
using System.Text;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Reports;

/// <summary>Turns statistics into the text an admin reads in the chat. Long results are split by the sender, never cut.</summary>
public static class StatsFormatter
{
    public static string Format(StatsReport r, Texts texts)
    {
        var sb = new StringBuilder();
        sb.Append(texts.StatsHeading(texts.PeriodName(r.Period.Name), Range(r.Period), r.MemberName)).AppendLine();
        sb.AppendLine(texts.StatsReceived(r.Received));
        foreach (var state in Enum.GetValues<TicketState>())
        {
            if (r.ByState.TryGetValue(state.ToString(), out var n) && n > 0)
            {
                sb.Append("  • ").Append(texts.ShortStateName(state)).Append(": ").Append(n).AppendLine();
            }
        }
        sb.AppendLine(texts.StatsFlow(r.Answered, r.Resolved, r.Reopened));
        sb.AppendLine(texts.StatsOpenNow(r.OpenNow));
        sb.AppendLine();
        sb.AppendLine(texts.StatsFirstResponse(Figures(r.FirstResponse, texts), Share(r.OnTime.FirstResponseShare)));
        if (r.FirstResponseWork.Count > 0)
        {
            sb.Append("  ").AppendLine(texts.StatsInWorkingTime(Figures(r.FirstResponseWork, texts)));
        }
        sb.AppendLine(texts.StatsResolution(Figures(r.Resolution, texts), Share(r.OnTime.ResolutionShare)));
        if (r.ResolutionWork.Count > 0)
        {
            sb.Append("  ").AppendLine(texts.StatsInWorkingTime(Figures(r.ResolutionWork, texts)));
        }
        if (r.Ratings.Count > 0)
        {
            sb.AppendLine(texts.StatsRatings(r.Ratings.Average ?? 0, r.Ratings.Count, r.Ratings.Distribution));
        }
        if (r.Members.Count > 0)
        {
            sb.AppendLine().AppendLine(texts.StatsMembersTitle);
            foreach (var m in r.Members)
            {
                sb.Append("  • ").Append(m.Name).Append(": ").Append(m.Claimed).Append(" · ").Append(m.Answered)
                    .Append(" · ").Append(m.Resolved).Append(" · ")
                    .Append(m.MedianFirstResponseSeconds is { } s ? texts.Duration(TimeSpan.FromSeconds(s)) : "–")
                    .AppendLine(m.AverageRating is { } stars ? $" · ⭐ {stars.ToString("0.0", CultureInfo.InvariantCulture)} ({m.Ratings})" : "");
            }
        }
        return sb.ToString().TrimEnd();
    }

    public static string FormatBreakdown(ReportPeriod period, IReadOnlyList<BreakdownFigures> rows, Breakdown by, Func<string, string> categoryName, Texts texts)
    {
        var sb = new StringBuilder();
        sb.Append(texts.StatsBreakdownHeading(by, texts.PeriodName(period.Name), Range(period))).AppendLine();
        // Groups are named by title; the channel is said only when the desk serves several.
        var severalChannels = by == Breakdown.Group && rows.Select(r => ChannelOf(r.Key)).Distinct().Skip(1).Any();
        if (rows.Count == 0)
        {
            sb.Append(texts.StatsNothing);
            return sb.ToString();
        }
        sb.AppendLine(texts.StatsBreakdownColumns);
        foreach (var row in rows)
        {
            var name = by switch
            {
                Breakdown.Group => GroupName(row.Key, texts) + (severalChannels ? $" ({texts.ChannelName(ChannelOf(row.Key))})" : ""),
                Breakdown.Channel => texts.ChannelName(row.Key),
                _ => categoryName(row.Key),
            };
            sb.Append("• ").Append(name).Append(": ").Append(row.Received).Append(" · ").Append(row.Answered).Append(" · ")
                .Append(row.Resolved).Append(" · ").Append(row.Reopened).Append(" · ").Append(row.Open).Append(" · ")
                .Append(row.MedianFirstResponseSeconds is { } s ? texts.Duration(TimeSpan.FromSeconds(s)) : "–").Append(" · ")
                .AppendLine(Share(row.OnTimeShare) ?? "–");
        }
        return sb.ToString().TrimEnd();
    }

    private static string ChannelOf(string groupKey) => groupKey[..Math.Max(0, groupKey.IndexOf(':', StringComparison.Ordinal))];

    private static string GroupName(string groupKey, Texts texts) =>
        groupKey[(groupKey.IndexOf(':', StringComparison.Ordinal) + 1)..] is { Length: > 0 } title ? title : texts.PrivateChats;

    private static string Range(ReportPeriod p) =>
        $"{LocalTime.ToLocal(p.From).ToString("dd/MM", CultureInfo.InvariantCulture)} – {LocalTime.ToLocal(p.To.AddMilliseconds(-1)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}";

    private static string? Share(double? share) => share is { } s ? $"{Math.Round(s * 100, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} %" : null;

    private static string Figures(DurationFigures f, Texts texts) =>
        f.Count == 0
            ? texts.StatsNone
            : texts.StatsDurations(texts.Duration(TimeSpan.FromSeconds(f.MedianSeconds ?? 0)), texts.Duration(TimeSpan.FromSeconds(f.P90Seconds ?? 0)), f.Count);
}
