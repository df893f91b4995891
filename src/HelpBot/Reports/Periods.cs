using System.Globalization;
using HelpBot.Text;

namespace HelpBot.Reports;

/// <summary>Report periods in the commune's local calendar (Asia/Ho_Chi_Minh).</summary>
public static class Periods
{
    public static bool TryParse(string? argument, DateTimeOffset now, out ReportPeriod period)
    {
        var local = LocalTime.ToLocal(now);
        var today = local.Date;
        switch ((argument ?? "").Trim().ToLowerInvariant())
        {
            case "" or "today" or "homnay" or "hôm nay":
                period = Make("today", today, today.AddDays(1));
                return true;
            case "week" or "tuan" or "tuần":
                // Vietnamese weeks start on Monday.
                var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
                period = Make("week", monday, monday.AddDays(7));
                return true;
            case "month" or "thang" or "tháng":
                var first = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
                period = Make(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, first.AddMonths(1));
                return true;
            case var text when DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month):
                period = Make(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month, month.AddMonths(1));
                return true;
            default:
                period = Make("", today, today);
                return false;
        }
    }

    /// <summary>Local days [from, to] inclusive as a UTC range; either end may be open.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayRange(DateOnly? from, DateOnly? to) =>
        (from is { } f ? StartOf(f.ToDateTime(TimeOnly.MinValue)) : DateTimeOffset.FromUnixTimeMilliseconds(0),
         to is { } t ? StartOf(t.ToDateTime(TimeOnly.MinValue).AddDays(1)) : DateTimeOffset.MaxValue);

    private static ReportPeriod Make(string name, DateTime localFrom, DateTime localTo) =>
        new(name, StartOf(localFrom), StartOf(localTo));

    private static DateTimeOffset StartOf(DateTime localMidnight) =>
        new(DateTime.SpecifyKind(localMidnight, DateTimeKind.Unspecified), LocalTime.Zone.GetUtcOffset(localMidnight));
}
