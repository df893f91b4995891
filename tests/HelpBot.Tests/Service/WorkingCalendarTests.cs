using HelpBot.Service;
using Microsoft.Extensions.Options;

namespace HelpBot.Tests.Service;

/// <summary>Working time on hand-checked cases (times in Hà Nội, UTC+7).</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = new(Options.Create(new CalendarOptions()));

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    [Theory]
    [InlineData(12, 4, 16, 0, 4, 12, 7, 10, 30)]   // Friday 16:00 + 4 h: 1 h on Friday, 3 h on Monday morning
    [InlineData(12, 1, 11, 0, 1, 12, 1, 14, 0)]    // Tuesday 11:00 + 1 h: half an hour before lunch, half after
    [InlineData(12, 1, 12, 15, 1, 12, 1, 14, 30)]  // in the lunch break, the clock starts at 13:30
    [InlineData(4, 29, 16, 0, 4, 5, 4, 10, 30)]    // Wednesday 29/4 + 4 h: 30/4 and 1/5 are holidays, then the weekend
    [InlineData(12, 5, 9, 0, 2, 12, 7, 9, 30)]     // Saturday: closed by default
    public void Adding_working_time_skips_nights_lunch_weekends_and_holidays(int m, int d, int h, int min, int hours, int em, int ed, int eh, int emin)
    {
        var due = Calendar.Add(Local(m, d, h, min), TimeSpan.FromHours(hours));
        Assert.Equal(Local(em, ed, eh, emin), due);
        Assert.Equal(TimeSpan.FromHours(hours), Calendar.Between(Local(m, d, h, min), due));
    }

    [Fact]
    public void Working_time_between_two_moments_counts_only_office_hours()
    {
        // Friday 08:00 → Monday 08:00: Friday's 7.5 h minus the first half hour, Monday's first half hour.
        Assert.Equal(TimeSpan.FromHours(7.5), Calendar.Between(Local(12, 4, 8), Local(12, 7, 8)));
        Assert.Equal(TimeSpan.Zero, Calendar.Between(Local(12, 5, 8), Local(12, 6, 20)));
        Assert.Equal(TimeSpan.Zero, Calendar.Between(Local(12, 7, 8), Local(12, 4, 8)));
    }

    [Fact]
    public void Office_hours_and_the_next_opening_are_known()
    {
        Assert.True(Calendar.IsWorking(Local(12, 1, 9)));
        Assert.False(Calendar.IsWorking(Local(12, 1, 12)));
        Assert.False(Calendar.IsWorking(Local(12, 6, 9)));
        Assert.Equal(Local(12, 1, 13, 30), Calendar.NextWorkingStart(Local(12, 1, 12)));
        Assert.Equal(Local(12, 7, 7, 30), Calendar.NextWorkingStart(Local(12, 4, 18)));
        Assert.Equal(Local(12, 1, 9), Calendar.NextWorkingStart(Local(12, 1, 9)));
    }

    [Fact]
    public void Saturday_mornings_can_be_working_time()
    {
        var calendar = new WorkingCalendar(Options.Create(new CalendarOptions { Saturday = ["07:30-11:30"] }));
        Assert.Equal(Local(12, 5, 10, 30), calendar.Add(Local(12, 4, 16), TimeSpan.FromHours(4)));
    }
}
