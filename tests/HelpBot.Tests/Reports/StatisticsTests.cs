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

public sealed class OnTimeAndBreakdownTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Lan = new("telegram:1", "Lan");
    private static readonly Actor Minh = new("telegram:2", "Minh");
    private static readonly IReadOnlyList<HelpBot.Categories.Category> Catalogue =
    [
        new() { Code = "a", Name = "Loại A", FirstResponseTarget = TimeSpan.FromMinutes(20), ResolutionTarget = TimeSpan.FromMinutes(60) },
        new() { Code = "khac", Name = "Khác", FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = TimeSpan.FromDays(3) },
    ];
    private readonly TempDatabase _db = new();

    public async Task InitializeAsync() =>
        await new Migrator(_db.Database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private async Task TicketAsync(string category, string chatKind, string? title, Actor? owner, int? answerMinute, int? resolveMinute, string channel = "telegram")
    {
        var clock = new FakeTimeProvider(Morning);
        await using var s = await DeskSession.BeginAsync(_db.Database);
        var ticket = await s.InsertTicketAsync(new Ticket
        {
            Channel = channel, ChatId = title ?? "9", ChatTitle = title, ChatKind = chatKind, MessageId = "1", CitizenId = "9",
            CitizenName = "Bà Tư", Question = "?", Category = category, State = TicketState.New, CreatedAt = Morning, UpdatedAt = Morning,
        });
        var machine = new TicketMachine(ticket, clock);
        if (owner is not null && answerMinute is { } answer)
        {
            clock.SetUtcNow(Morning.AddMinutes(answer));
            machine.Claim(owner);
            machine.Answer(owner);
        }
        if (resolveMinute is { } resolve)
        {
            clock.SetUtcNow(Morning.AddMinutes(resolve));
            machine.Resolve(Actor.System);
        }
        await s.UpdateTicketAsync(ticket);
        await s.AddEventsAsync(machine.Events);
        await s.CommitAsync();
    }

    [Fact]
    public async Task On_time_shares_follow_each_categorys_targets_and_break_down_by_category_group_and_member()
    {
        await TicketAsync("a", ChatKinds.Group, "Nhóm thôn 1", Lan, 10, 50);     // on time, on time
        await TicketAsync("a", ChatKinds.Group, "Nhóm thôn 1", Minh, 30, 90);    // late, late
        await TicketAsync("khac", ChatKinds.Private, null, Lan, 45, null);      // on time (4 h), open
        await TicketAsync("a", ChatKinds.Private, null, null, null, null);      // never answered
        Assert.True(Periods.TryParse("today", Morning.AddHours(5), out var today));
        var query = new StatsQuery(today, Catalogue);
        await using var connection = await _db.Database.OpenAsync();

        var all = await Statistics.ComputeAsync(connection, query);
        Assert.Equal((3L, 2L, 2L, 1L), (all.OnTime.Responded, all.OnTime.RespondedOnTime, all.OnTime.Resolved, all.OnTime.ResolvedOnTime));
        var text = StatsFormatter.Format(all, new HelpBot.Text.Texts());
        Assert.Contains("đúng hạn 67 %", text, StringComparison.Ordinal);
        Assert.Contains("đúng hạn 50 %", text, StringComparison.Ordinal);

        var byCategory = await Statistics.BreakdownAsync(connection, query, Breakdown.Category);
        var a = Assert.Single(byCategory, r => r.Key == "a");
        Assert.Equal((3L, 2L, 2L, 1L), (a.Received, a.Answered, a.Resolved, a.Open));
        Assert.Equal(10 * 60, a.MedianFirstResponseSeconds);
        Assert.Equal(0.5, a.OnTimeShare);
        var other = Assert.Single(byCategory, r => r.Key == "khac");
        Assert.Equal((1L, 1L, 0L, 1L, 1.0), (other.Received, other.Answered, other.Resolved, other.Open, other.OnTimeShare!.Value));

        var byGroup = await Statistics.BreakdownAsync(connection, query, Breakdown.Group);
        Assert.Equal(2, Assert.Single(byGroup, r => r.Key == "telegram:Nhóm thôn 1").Received);
        Assert.Equal(2, Assert.Single(byGroup, r => r.Key == "telegram:").Received);
        var groupText = StatsFormatter.FormatBreakdown(today, byGroup, Breakdown.Group, code => code, new HelpBot.Text.Texts());
        Assert.Contains("• Nhóm thôn 1: 2 · 2 · 2 · 0 · 0 · 10 phút · 50 %", groupText, StringComparison.Ordinal);
        Assert.Contains("• Nhắn riêng: 2 · 1 · 0 · 0 · 2 · 45 phút · 100 %", groupText, StringComparison.Ordinal);

        var lan = await Statistics.ComputeAsync(connection, query with { AssigneeId = Lan.Id, MemberName = "Lan" });
        Assert.Equal(2, lan.Received);
        Assert.Equal(2, lan.OnTime.RespondedOnTime);
        Assert.Equal("Lan", Assert.Single(lan.Members).Name);

        Assert.True(Periods.TryParse("2026-01", Morning, out var empty));
        Assert.Empty(await Statistics.BreakdownAsync(connection, query with { Period = empty }, Breakdown.Category));
        Assert.Null((await Statistics.ComputeAsync(connection, query with { Period = empty })).OnTime.FirstResponseShare);
    }

    [Fact]
    public async Task Statistics_cover_every_channel_and_say_which_when_several_are_served()
    {
        await TicketAsync("a", ChatKinds.Group, "Nhóm thôn 1", Lan, 10, 50);
        await TicketAsync("a", ChatKinds.Private, null, Lan, 20, null, channel: "zalo-bot");
        await TicketAsync("a", ChatKinds.Group, "Hỏi đáp xã (Zalo)", Minh, 30, null, channel: "zalo-bot");
        await TicketAsync("khac", ChatKinds.Private, null, null, null, null, channel: "zalo-oa");
        Assert.True(Periods.TryParse("today", Morning.AddHours(5), out var today));
        var query = new StatsQuery(today, Catalogue);
        await using var connection = await _db.Database.OpenAsync();

        Assert.Equal(4, (await Statistics.ComputeAsync(connection, query)).Received);
        var byChannel = await Statistics.BreakdownAsync(connection, query, Breakdown.Channel);
        Assert.Equal([("telegram", 1L), ("zalo-bot", 2L), ("zalo-oa", 1L)], byChannel.Select(r => (r.Key, r.Received)).OrderBy(r => r.Key));
        var channelText = StatsFormatter.FormatBreakdown(today, byChannel, Breakdown.Channel, code => code, new HelpBot.Text.Texts());
        Assert.Contains("Theo kênh", channelText, StringComparison.Ordinal);
        Assert.Contains("• Zalo: 2 · 2 · 0 · 0 · 2 ·", channelText, StringComparison.Ordinal);
        Assert.Contains("• Zalo OA: 1 · 0 · 0 · 0 · 1 ·", channelText, StringComparison.Ordinal);

        var groupText = StatsFormatter.FormatBreakdown(today, await Statistics.BreakdownAsync(connection, query, Breakdown.Group), Breakdown.Group, code => code, new HelpBot.Text.Texts());
        Assert.Contains("• Nhóm thôn 1 (Telegram): 1 ·", groupText, StringComparison.Ordinal);
        Assert.Contains("• Nhắn riêng (Zalo): 1 ·", groupText, StringComparison.Ordinal);
        Assert.Contains("• Nhắn riêng (Zalo OA): 1 ·", groupText, StringComparison.Ordinal);
    }
}
