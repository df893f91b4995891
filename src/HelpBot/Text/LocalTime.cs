using System.Globalization;

namespace HelpBot.Text;

/// <summary>Times and durations the Vietnamese way, in the commune's time zone (UTC+7, no daylight saving).</summary>
public static class LocalTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    public static DateTimeOffset ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>"14:30 29/11/2026".</summary>
    public static string Format(DateTimeOffset utc) =>
        ToLocal(utc).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"14:30" when on <paramref name="today"/>'s date, else "14:30 29/11".</summary>
    public static string FormatShort(DateTimeOffset utc, DateTimeOffset now)
    {
        var local = ToLocal(utc);
        return local.Date == ToLocal(now).Date
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("HH:mm dd/MM", CultureInfo.InvariantCulture);
    }

    /// <summary>"2 giờ 15 phút", "3 ngày 4 giờ", "45 giây".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        if (span.TotalMinutes < 1)
        {
            return $"{(int)span.TotalSeconds} giây";
        }
        if (span.TotalHours < 1)
        {
            return $"{(int)span.TotalMinutes} phút";
        }
        if (span.TotalDays < 1)
        {
            return span.Minutes == 0 ? $"{(int)span.TotalHours} giờ" : $"{(int)span.TotalHours} giờ {span.Minutes} phút";
        }
        return span.Hours == 0 ? $"{(int)span.TotalDays} ngày" : $"{(int)span.TotalDays} ngày {span.Hours} giờ";
    }

    private static TimeZoneInfo FindZone()
    {
        foreach (var id in new[] { "Asia/Ho_Chi_Minh", "SE Asia Standard Time" })
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }
        }
        // A container without tzdata: Vietnam has had no daylight saving since 1975, so a fixed offset is exact.
        return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Asia/Ho_Chi_Minh", "ICT");
    }
}
