using Stateless;
using Stateless.Graph;

namespace HelpBot.Tickets;

/// <summary>
/// The legal life of a ticket. Built fresh around a loaded <see cref="Ticket"/> for each event; the
/// ticket's <see cref="Ticket.State"/> is read and written through the accessor/mutator, so the row stays
/// the truth. Entry actions stamp the times and collect the audit events for the caller to store.
/// </summary>
public sealed class TicketMachine
{
    public enum Trigger { Claim, Unclaim, Answer, Resolve, Reopen, Cancel }

    private readonly Ticket _ticket;
    private readonly TimeProvider _time;
    private readonly StateMachine<TicketState, Trigger> _machine;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> _claim;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> _unclaim;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> _answer;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> _resolve;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> _reopen;
    private readonly StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> _cancel;
    private readonly List<TicketEvent> _events = [];

    public TicketMachine(Ticket ticket, TimeProvider time)
    {
        _ticket = ticket;
        _time = time;
        _machine = new StateMachine<TicketState, Trigger>(() => _ticket.State, s => _ticket.State = s);
        _claim = _machine.SetTriggerParameters<Actor>(Trigger.Claim);
        _unclaim = _machine.SetTriggerParameters<Actor>(Trigger.Unclaim);
        _answer = _machine.SetTriggerParameters<Actor>(Trigger.Answer);
        _resolve = _machine.SetTriggerParameters<Actor, string?>(Trigger.Resolve);
        _reopen = _machine.SetTriggerParameters<Actor, string?>(Trigger.Reopen);
        _cancel = _machine.SetTriggerParameters<Actor, string?>(Trigger.Cancel);

        _machine.Configure(TicketState.New)
            .Permit(Trigger.Claim, TicketState.Claimed)
            .Permit(Trigger.Resolve, TicketState.Resolved)
            .Permit(Trigger.Cancel, TicketState.Cancelled);

        _machine.Configure(TicketState.Claimed)
            .OnEntryFrom(_claim, OnClaimed)
            .Permit(Trigger.Unclaim, TicketState.New)
            .Permit(Trigger.Answer, TicketState.Answered)
            .Permit(Trigger.Resolve, TicketState.Resolved)
            .Permit(Trigger.Cancel, TicketState.Cancelled);

        _machine.Configure(TicketState.New)
            .OnEntryFrom(_unclaim, OnUnclaimed);

        _machine.Configure(TicketState.Answered)
            .OnEntryFrom(_answer, OnAnswered)
            // A further answer from the owner (a correction, a second part) keeps it Answered.
            .PermitReentry(Trigger.Answer)
            .Permit(Trigger.Resolve, TicketState.Resolved)
            .Permit(Trigger.Reopen, TicketState.Reopened)
            .Permit(Trigger.Cancel, TicketState.Cancelled);

        _machine.Configure(TicketState.Reopened)
            .OnEntryFrom(_reopen, OnReopened)
            .Permit(Trigger.Claim, TicketState.Claimed)
            .Permit(Trigger.Resolve, TicketState.Resolved)
            .Permit(Trigger.Cancel, TicketState.Cancelled);

        _machine.Configure(TicketState.Resolved)
            .OnEntryFrom(_resolve, OnResolved)
            .Permit(Trigger.Reopen, TicketState.Reopened);

        _machine.Configure(TicketState.Cancelled)
            .OnEntryFrom(_cancel, OnCancelled)
            .Permit(Trigger.Reopen, TicketState.Reopened);

        _machine.OnUnhandledTrigger((state, trigger) =>
            throw new InvalidOperationException($"Ticket #{_ticket.Id}: {trigger} is not allowed in {state}."));
    }

    public TicketState State => _ticket.State;

    /// <summary>The audit events produced by the moves made so far.</summary>
    public IReadOnlyList<TicketEvent> Events => _events;

    public bool CanClaim => _machine.CanFire(Trigger.Claim);
    public bool CanUnclaim => _machine.CanFire(Trigger.Unclaim);
    public bool CanAnswer => _machine.CanFire(Trigger.Answer);
    public bool CanResolve => _machine.CanFire(Trigger.Resolve);
    public bool CanReopen => _machine.CanFire(Trigger.Reopen);
    public bool CanCancel => _machine.CanFire(Trigger.Cancel);

    public void Claim(Actor member) => _machine.Fire(_claim, member);
    public void Unclaim(Actor by) => _machine.Fire(_unclaim, by);
    public void Answer(Actor member) => _machine.Fire(_answer, member);
    public void Resolve(Actor by, string? reason = null) => _machine.Fire(_resolve, by, reason);
    public void Reopen(Actor by, string? reason = null) => _machine.Fire(_reopen, by, reason);
    public void Cancel(Actor by, string? reason = null) => _machine.Fire(_cancel, by, reason);

    /// <summary>Records something that is not a move (a follow-up, a relayed file) in the audit trail.</summary>
    public void Note(string kind, Actor actor, string? detail = null) =>
        _events.Add(new TicketEvent(_ticket.Id, Now(), kind, null, null, actor, detail));

    /// <summary>Records the creation of a ticket that was just stored.</summary>
    public void Created(Actor citizen) =>
        _events.Add(new TicketEvent(_ticket.Id, _ticket.CreatedAt, "Created", null, TicketState.New, citizen));

    public string ToDotGraph() => UmlDotGraph.Format(_machine.GetInfo());

    public string ToMermaidGraph() => MermaidGraph.Format(_machine.GetInfo());

    private DateTimeOffset Now() => _time.GetUtcNow();

    private void OnClaimed(Actor member, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        _ticket.AssigneeId = member.Id;
        _ticket.AssigneeName = member.Name;
        _ticket.ClaimedAt ??= now;
        Record(transition, member, now);
    }

    private void OnUnclaimed(Actor by, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        var previous = _ticket.AssigneeName;
        _ticket.AssigneeId = null;
        _ticket.AssigneeName = null;
        Record(transition, by, now, previous);
    }

    private void OnAnswered(Actor member, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        _ticket.FirstResponseAt ??= now;
        _ticket.AnsweredAt = now;
        Record(transition, member, now);
    }

    private void OnResolved(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        _ticket.ResolvedAt = now;
        Record(transition, by, now, reason);
    }

    private void OnReopened(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        _ticket.ReopenCount++;
        _ticket.ResolvedAt = null;
        Record(transition, by, now, reason);
    }

    private void OnCancelled(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition)
    {
        var now = Now();
        _ticket.ResolvedAt = now;
        Record(transition, by, now, reason);
    }

    private void Record(StateMachine<TicketState, Trigger>.Transition transition, Actor actor, DateTimeOffset now, string? detail = null)
    {
        _ticket.UpdatedAt = now;
        var kind = transition.Destination switch
        {
            TicketState.Claimed => "Claimed",
            TicketState.New => "Unclaimed",
            TicketState.Answered => "Answered",
            TicketState.Resolved => "Resolved",
            TicketState.Reopened => "Reopened",
            TicketState.Cancelled => "Cancelled",
            _ => transition.Trigger.ToString(),
        };
        _events.Add(new TicketEvent(_ticket.Id, now, kind, transition.Source, transition.Destination, actor, detail));
    }
}
