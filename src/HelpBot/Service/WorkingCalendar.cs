using System.Globalization;
using HelpBot.Text;
using Microsoft.Extensions.Options;

namespace HelpBot.Service;

/// <summary>
/// The <c>HelpBot:Calendar</c> section: when the commune's office works. Lists left out take the defaults
/// (null, not empty: the configuration binder adds to a list it finds filled, it does not replace it).
/// </summary>
public sealed class CalendarOptions
{
    public static readonly IReadOnlyList<string> DefaultWeekdays = ["07:30-11:30", "13:30-17:00"];

    /// <summary>Working periods of a weekday, local time, as "HH:mm-HH:mm".</summary>
    public List<string>? Weekdays { get; set; }

    /// <summary>Saturday periods; none by default (the office is closed), e.g. ["07:30-11:30"].</summary>
    public List<string>? Saturday { get; set; }

    /// <summary>
    /// Public holidays as yyyy-MM-dd. Lunar holidays (Tết, Hùng Kings' Day) move every year, so they are a list,
    /// not a rule: update it each year. The default covers 2026 and 2027.
    /// </summary>
    public List<string>? Holidays { get; set; }

    public static readonly IReadOnlyList<string> DefaultHolidays =
    [
        // 2026: New Year, Tết Bính Ngọ (16–20/02), Hùng Kings (26/04, observed 27/04), 30/4, 1/5, National Day (1–2/09).
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
        "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
        // 2027: New Year, Tết Đinh Mùi (05–09/02), Hùng Kings (16/04), 30/4, 1/5 (observed 03/05), National Day (02–03/09).
        "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
        "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
    ];
}

/// <summary>
/// Working time in Asia/Ho_Chi_Minh: which moments are office hours, how long "4 working hours" runs
/// from a given moment, and how much working time lies between two moments.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly (TimeSpan Start, TimeSpan End)[] _weekday;
    private readonly (TimeSpan Start, TimeSpan End)[] _saturday;
    private readonly HashSet<DateOnly> _holidays;

    public WorkingCalendar(IOptions<CalendarOptions> options)
    {
        _weekday = Parse(options.Value.Weekdays ?? CalendarOptions.DefaultWeekdays);
        _saturday = Parse(options.Value.Saturday ?? []);
        _holidays = (options.Value.Holidays ?? CalendarOptions.DefaultHolidays).Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();
    }

    public bool IsWorking(DateTimeOffset utc) => PeriodsOf(LocalDay(utc)).Any(p => p.Start <= utc && utc < p.End);

    /// <summary>The moment work resumes: <paramref name="utc"/> itself during office hours.</summary>
    public DateTimeOffset NextWorkingStart(DateTimeOffset utc)
    {
        var day = LocalDay(utc);
        for (var i = 0; i < 400; i++, day = day.AddDays(1))
        {
            foreach (var (start, end) in PeriodsOf(day))
            {
                if (utc < end)
                {
                    return utc > start ? utc : start;
                }
            }
        }
        throw new InvalidOperationException("No working time within 400 days: check HelpBot:Calendar.");
    }

    /// <summary>The moment <paramref name="work"/> of working time has passed after <paramref name="from"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset from, TimeSpan work)
    {
        var left = work;
        var day = LocalDay(from);
        for (var i = 0; i < 4000; i++, day = day.AddDays(1))
        {
            foreach (var (start, end) in PeriodsOf(day))
            {
                if (end <= from)
                {
                    continue;
                }
                var begin = start > from ? start : from;
                var available = end - begin;
                if (left <= available)
                {
                    return begin + left;
                }
                left -= available;
            }
        }
        throw new InvalidOperationException("A working-time target too long for the calendar: check the category targets.");
    }

    /// <summary>Working time between two moments (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        if (to <= from)
        {
            return total;
        }
        for (var day = LocalDay(from); day <= LocalDay(to); day = day.AddDays(1))
        {
            foreach (var (start, end) in PeriodsOf(day))
            {
                var a = start > from ? start : from;
                var b = end < to ? end : to;
                if (b > a)
                {
                    total += b - a;
                }
            }
        }
        return total;
    }

    /// <summary>A day's working periods as UTC moments.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> PeriodsOf(DateOnly day)
    {
        if (_holidays.Contains(day))
        {
            yield break;
        }
        var periods = day.DayOfWeek switch
        {
            DayOfWeek.Sunday => [],
            DayOfWeek.Saturday => _saturday,
            _ => _weekday,
        };
        foreach (var (start, end) in periods)
        {
            yield return (At(day, start), At(day, end));
        }
    }

    private static DateOnly LocalDay(DateTimeOffset utc) => DateOnly.FromDateTime(LocalTime.ToLocal(utc).DateTime);

    private static DateTimeOffset At(DateOnly day, TimeSpan time)
    {
        var local = day.ToDateTime(TimeOnly.FromTimeSpan(time));
        return new DateTimeOffset(local, LocalTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static (TimeSpan, TimeSpan)[] Parse(IEnumerable<string> periods) =>
        periods.Select(p =>
        {
            var parts = p.Split('-', StringSplitOptions.TrimEntries);
            return (TimeSpan.ParseExact(parts[0], @"hh\:mm", CultureInfo.InvariantCulture), TimeSpan.ParseExact(parts[1], @"hh\:mm", CultureInfo.InvariantCulture));
        }).OrderBy(p => p.Item1).ToArray();
}
