using HelpBot.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Tickets;

public sealed class TicketMachineTests
{
    private static readonly Actor Lan = new("telegram:1", "Lan");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));

    // Every state × every trigger, and where it leads; null = illegal.
    public static TheoryData<TicketState, TicketMachine.Trigger, TicketState?> Moves()
    {
        var legal = new Dictionary<(TicketState, TicketMachine.Trigger), TicketState>
        {
            [(TicketState.New, TicketMachine.Trigger.Claim)] = TicketState.Claimed,
            [(TicketState.New, TicketMachine.Trigger.Resolve)] = TicketState.Resolved,
            [(TicketState.New, TicketMachine.Trigger.Cancel)] = TicketState.Cancelled,
            [(TicketState.Claimed, TicketMachine.Trigger.Unclaim)] = TicketState.New,
            [(TicketState.Claimed, TicketMachine.Trigger.Answer)] = TicketState.Answered,
            [(TicketState.Claimed, TicketMachine.Trigger.Resolve)] = TicketState.Resolved,
            [(TicketState.Claimed, TicketMachine.Trigger.Cancel)] = TicketState.Cancelled,
            [(TicketState.Answered, TicketMachine.Trigger.Answer)] = TicketState.Answered,
            [(TicketState.Answered, TicketMachine.Trigger.Resolve)] = TicketState.Resolved,
            [(TicketState.Answered, TicketMachine.Trigger.Reopen)] = TicketState.Reopened,
            [(TicketState.Answered, TicketMachine.Trigger.Cancel)] = TicketState.Cancelled,
            [(TicketState.Reopened, TicketMachine.Trigger.Claim)] = TicketState.Claimed,
            [(TicketState.Reopened, TicketMachine.Trigger.Resolve)] = TicketState.Resolved,
            [(TicketState.Reopened, TicketMachine.Trigger.Cancel)] = TicketState.Cancelled,
            [(TicketState.Resolved, TicketMachine.Trigger.Reopen)] = TicketState.Reopened,
            [(TicketState.Cancelled, TicketMachine.Trigger.Reopen)] = TicketState.Reopened,
        };
        var data = new TheoryData<TicketState, TicketMachine.Trigger, TicketState?>();
        foreach (var state in Enum.GetValues<TicketState>())
        {
            foreach (var trigger in Enum.GetValues<TicketMachine.Trigger>())
            {
                data.Add(state, trigger, legal.TryGetValue((state, trigger), out var to) ? to : null);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Every_move_is_legal_exactly_where_the_design_says(TicketState from, TicketMachine.Trigger trigger, TicketState? to)
    {
        var ticket = new Ticket { Id = 7, State = from, AssigneeId = Lan.Id, AssigneeName = Lan.Name };
        var machine = new TicketMachine(ticket, Clock);
        var can = trigger switch
        {
            TicketMachine.Trigger.Claim => machine.CanClaim,
            TicketMachine.Trigger.Unclaim => machine.CanUnclaim,
            TicketMachine.Trigger.Answer => machine.CanAnswer,
            TicketMachine.Trigger.Resolve => machine.CanResolve,
            TicketMachine.Trigger.Reopen => machine.CanReopen,
            _ => machine.CanCancel,
        };
        Assert.Equal(to is not null, can);

        Action fire = trigger switch
        {
            TicketMachine.Trigger.Claim => () => machine.Claim(Lan),
            TicketMachine.Trigger.Unclaim => () => machine.Unclaim(Lan),
            TicketMachine.Trigger.Answer => () => machine.Answer(Lan),
            TicketMachine.Trigger.Resolve => () => machine.Resolve(Lan),
            TicketMachine.Trigger.Reopen => () => machine.Reopen(Lan),
            _ => () => machine.Cancel(Lan),
        };
        if (to is null)
        {
            var error = Assert.Throws<InvalidOperationException>(fire);
            Assert.Contains("#7", error.Message, StringComparison.Ordinal);
            Assert.Equal(from, ticket.State);
            Assert.Empty(machine.Events);
        }
        else
        {
            fire();
            Assert.Equal(to, ticket.State);
            var recorded = Assert.Single(machine.Events);
            Assert.Equal(from, recorded.From);
            Assert.Equal(to, recorded.To);
            Assert.Equal(Lan, recorded.Actor);
        }
    }

    [Fact]
    public void Claim_and_answer_stamp_the_times_once_and_a_reopen_counts()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));
        var created = clock.GetUtcNow();
        var ticket = new Ticket { Id = 1, State = TicketState.New, CreatedAt = created };
        var machine = new TicketMachine(ticket, clock);

        clock.Advance(TimeSpan.FromMinutes(5));
        machine.Claim(Lan);
        clock.Advance(TimeSpan.FromMinutes(10));
        machine.Answer(Lan);
        var firstAnswer = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        machine.Reopen(Lan, "citizen");
        clock.Advance(TimeSpan.FromMinutes(1));
        machine.Claim(Lan);
        machine.Answer(Lan);
        clock.Advance(TimeSpan.FromMinutes(1));
        machine.Resolve(Actor.System, "auto");

        Assert.Equal(created.AddMinutes(5), ticket.ClaimedAt);
        Assert.Equal(firstAnswer, ticket.FirstResponseAt);
        Assert.Equal(clock.GetUtcNow(), ticket.ResolvedAt);
        Assert.Equal(1, ticket.ReopenCount);
        Assert.Equal(["Claimed", "Answered", "Reopened", "Claimed", "Answered", "Resolved"], machine.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Unclaim_clears_the_owner()
    {
        var ticket = new Ticket { Id = 2, State = TicketState.New };
        var machine = new TicketMachine(ticket, Clock);
        machine.Claim(Lan);
        Assert.Equal("Lan", ticket.AssigneeName);
        machine.Unclaim(Lan);
        Assert.Null(ticket.AssigneeId);
        Assert.Equal(TicketState.New, ticket.State);
    }

    [Fact]
    public void Machines_sharing_a_thread_each_move_their_own_ticket_even_after_a_refused_move()
    {
        var first = new Ticket { Id = 1, State = TicketState.New };
        var second = new Ticket { Id = 2, State = TicketState.Answered, AssigneeId = Lan.Id, AssigneeName = Lan.Name };
        var one = new TicketMachine(first, Clock);
        var two = new TicketMachine(second, Clock);

        one.Claim(Lan);
        Assert.Contains("Ticket #2", Assert.Throws<InvalidOperationException>(() => two.Claim(Lan)).Message);
        Assert.True(two.CanResolve);
        Assert.True(one.CanAnswer);
        one.Answer(Lan);
        two.Resolve(Lan, "đã xong");

        Assert.Equal(TicketState.Answered, first.State);
        Assert.Equal(TicketState.Resolved, second.State);
        Assert.Equal(["Claimed", "Answered"], one.Events.Select(e => e.Kind));
        Assert.All(one.Events, e => Assert.Equal(1, e.TicketId));
        Assert.Equal(("Resolved", 2L, "đã xong"), (two.Events.Single().Kind, two.Events.Single().TicketId, two.Events.Single().Detail));
    }
}
