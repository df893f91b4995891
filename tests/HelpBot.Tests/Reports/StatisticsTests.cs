using HelpBot.Reports;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Reports;

public sealed class StatisticsTests : IAsyncLifetime
{
    // Tuesday 01/12/2026 08:00 in Hà Nội.
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(Morning);

    public async Task InitializeAsync() =>
        await new Migrator(_db.Database, _clock, NullLogger<Migrator>.Instance).MigrateAsync();

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private static readonly Actor Lan = new("telegram:1", "Lan");
    private static readonly Actor Minh = new("telegram:2", "Minh");

    /// <summary>Creates a ticket at <paramref name="at"/> and plays moves at the given minutes after it.</summary>
    private async Task<Ticket> TicketAsync(DateTimeOffset at, params (int Minute, Action<TicketMachine> Move)[] moves)
    {
        var clock = new FakeTimeProvider(at);
        await using var s = await DeskSession.BeginAsync(_db.Database);
        var ticket = await s.InsertTicketAsync(new Ticket
        {
            Channel = "telegram", ChatId = "-1", ChatKind = ChatKinds.Group, MessageId = "1", CitizenId = "9",
            CitizenName = "Bà Tư", Question = "?", State = TicketState.New, CreatedAt = at, UpdatedAt = at,
        });
        var machine = new TicketMachine(ticket, clock);
        machine.Created(new Actor("telegram:9", "Bà Tư"));
        foreach (var (minute, move) in moves)
        {
            clock.SetUtcNow(at.AddMinutes(minute));
            move(machine);
        }
        await s.UpdateTicketAsync(ticket);
        await s.AddEventsAsync(machine.Events);
        await s.CommitAsync();
        return ticket;
    }

    private async Task<StatsReport> StatsAsync(string period)
    {
        Assert.True(Periods.TryParse(period, _clock.GetUtcNow(), out var p));
        await using var connection = await _db.Database.OpenAsync();
        return await Statistics.ComputeAsync(connection, p, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Medians_percentiles_reopens_and_members_match_a_hand_worked_morning()
    {
        // First responses after 10, 20, 30, 40 and 50 minutes; one ticket never claimed; one reopened.
        await TicketAsync(Morning, (5, m => m.Claim(Lan)), (10, m => m.Answer(Lan)), (70, m => m.Resolve(Actor.System, "auto")));
        await TicketAsync(Morning, (20, m => m.Claim(Lan)), (20, m => m.Answer(Lan)), (30, m => m.Resolve(Lan)));
        await TicketAsync(Morning, (25, m => m.Claim(Minh)), (30, m => m.Answer(Minh)),
            (40, m => m.Reopen(new Actor("telegram:9", "Bà Tư"))), (50, m => m.Claim(Minh)), (55, m => m.Answer(Minh)), (120, m => m.Resolve(Minh)));
        await TicketAsync(Morning, (40, m => m.Claim(Minh)), (40, m => m.Answer(Minh)));
        await TicketAsync(Morning, (50, m => m.Claim(Lan)), (50, m => m.Answer(Lan)));
        await TicketAsync(Morning);
        // Yesterday's ticket counts in "week" but not "today".
        await TicketAsync(Morning.AddDays(-1), (60, m => m.Claim(Lan)), (60, m => m.Answer(Lan)));
        _clock.SetUtcNow(Morning.AddHours(3));

        var today = await StatsAsync("today");
        Assert.Equal(6, today.Received);
        Assert.Equal(2, today.ByState["Answered"]);
        Assert.Equal(3, today.ByState["Resolved"]);
        Assert.Equal(1, today.ByState["New"]);
        Assert.Equal(5, today.Answered);
        Assert.Equal(3, today.Resolved);
        Assert.Equal(1, today.Reopened);
        Assert.Equal(4, today.OpenNow); // two answered and one new today, and yesterday's answered one
        // Nearest rank over {10, 20, 30, 40, 50} minutes: median 30, p90 50.
        Assert.Equal(5, today.FirstResponse.Count);
        Assert.Equal(30 * 60, today.FirstResponse.MedianSeconds);
        Assert.Equal(50 * 60, today.FirstResponse.P90Seconds);
        // Resolutions after 30, 70 and 120 minutes (the reopened ticket counts from the question to its final resolution).
        Assert.Equal(3, today.Resolution.Count);
        Assert.Equal(70 * 60, today.Resolution.MedianSeconds);
        Assert.Equal(120 * 60, today.Resolution.P90Seconds);

        var lan = Assert.Single(today.Members, m => m.Name == "Lan");
        Assert.Equal((3L, 3L, 2L), (lan.Claimed, lan.Answered, lan.Resolved)); // #1 auto-resolved and #2 are both hers
        Assert.Equal(20 * 60, lan.MedianFirstResponseSeconds); // {10, 20, 50}
        var minh = Assert.Single(today.Members, m => m.Name == "Minh");
        Assert.Equal((2L, 2L, 1L), (minh.Claimed, minh.Answered, minh.Resolved));

        var week = await StatsAsync("week");
        Assert.Equal(7, week.Received);
    }

    [Fact]
    public async Task An_empty_period_reports_zeros_without_failing()
    {
        var stats = await StatsAsync("2026-01");
        Assert.Equal(0, stats.Received);
        Assert.Equal(0, stats.FirstResponse.Count);
        Assert.Null(stats.FirstResponse.MedianSeconds);
        Assert.Empty(stats.Members);
        Assert.Contains("chưa có", StatsFormatter.Format(stats, new HelpBot.Text.Texts()), StringComparison.Ordinal);
    }
}
