using System.Globalization;
using System.Text;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Reports;

/// <summary>Turns a <see cref="StatsReport"/> into the text an admin reads in the chat.</summary>
public static class StatsFormatter
{
    public static string Format(StatsReport r, Texts texts)
    {
        var sb = new StringBuilder();
        sb.Append("📊 Số liệu ").Append(r.Period.Name).Append(" (")
            .Append(LocalTime.ToLocal(r.Period.From).ToString("dd/MM", CultureInfo.InvariantCulture)).Append(" – ")
            .Append(LocalTime.ToLocal(r.Period.To.AddMilliseconds(-1)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)).AppendLine(")");
        sb.Append("Tiếp nhận: ").Append(r.Received).AppendLine(" câu hỏi");
        foreach (var state in Enum.GetValues<TicketState>())
        {
            if (r.ByState.TryGetValue(state.ToString(), out var n) && n > 0)
            {
                sb.Append("  • ").Append(texts.ShortStateName(state)).Append(": ").Append(n).AppendLine();
            }
        }
        sb.Append("Đã trả lời trong kỳ: ").Append(r.Answered).Append(" · đã giải quyết: ").Append(r.Resolved)
            .Append(" · mở lại: ").Append(r.Reopened).AppendLine();
        sb.Append("Đang mở (tất cả): ").Append(r.OpenNow).AppendLine();
        sb.AppendLine();
        sb.Append("Phản hồi đầu tiên: ").AppendLine(Figures(r.FirstResponse));
        sb.Append("Giải quyết: ").AppendLine(Figures(r.Resolution));
        if (r.Members.Count > 0)
        {
            sb.AppendLine().AppendLine("Theo cán bộ (nhận · trả lời · giải quyết · trung vị phản hồi):");
            foreach (var m in r.Members)
            {
                sb.Append("  • ").Append(m.Name).Append(": ").Append(m.Claimed).Append(" · ").Append(m.Answered)
                    .Append(" · ").Append(m.Resolved).Append(" · ")
                    .AppendLine(m.MedianFirstResponseSeconds is { } s ? LocalTime.Duration(TimeSpan.FromSeconds(s)) : "–");
            }
        }
        return sb.ToString().TrimEnd();
    }

    private static string Figures(DurationFigures f) =>
        f.Count == 0
            ? "chưa có"
            : $"trung vị {LocalTime.Duration(TimeSpan.FromSeconds(f.MedianSeconds ?? 0))}, 90% trong {LocalTime.Duration(TimeSpan.FromSeconds(f.P90Seconds ?? 0))} ({f.Count} phiếu)";
}
