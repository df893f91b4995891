using Stateless;
using Stateless.Graph;
using Stateless.Reflection;

namespace HelpBot.Tickets;

/// <summary>
/// The legal life of a ticket. Made around a loaded <see cref="Ticket"/> for each event; the ticket's
/// <see cref="Ticket.State"/> is read and written through the accessor/mutator, so the row stays the truth. Entry
/// actions stamp the times and collect the audit events for the caller to store.
/// </summary>
/// <remarks>
/// The Stateless machine itself is configured once per thread and lent to one ticket for the length of one synchronous
/// call (<see cref="ThreadLent{TItem, TOwner}"/>): configuring one costs reflection over every action (Stateless names
/// them for its graphs), and a ticket's question and answer each made two or three machines, inside the inbox's
/// transaction.
/// </remarks>
public sealed class TicketMachine
{
    public enum Trigger { Claim, Unclaim, Answer, Resolve, Reopen, Cancel }

    private readonly Ticket _ticket;
    private readonly TimeProvider _time;
    private readonly List<TicketEvent> _events = [];

    public TicketMachine(Ticket ticket, TimeProvider time)
    {
        _ticket = ticket;
        _time = time;
    }

    public TicketState State => _ticket.State;

    /// <summary>The audit events produced by the moves made so far.</summary>
    public IReadOnlyList<TicketEvent> Events => _events;

    public bool CanClaim => CanFire(Trigger.Claim);
    public bool CanUnclaim => CanFire(Trigger.Unclaim);
    public bool CanAnswer => CanFire(Trigger.Answer);
    public bool CanResolve => CanFire(Trigger.Resolve);
    public bool CanReopen => CanFire(Trigger.Reopen);
    public bool CanCancel => CanFire(Trigger.Cancel);

    public void Claim(Actor member) => Lend(member, static (core, m) => core.Machine.Fire(core.ClaimWith, m));
    public void Unclaim(Actor by) => Lend(by, static (core, b) => core.Machine.Fire(core.UnclaimWith, b));
    public void Answer(Actor member) => Lend(member, static (core, m) => core.Machine.Fire(core.AnswerWith, m));
    public void Resolve(Actor by, string? reason = null) => Lend((by, reason), static (core, a) => core.Machine.Fire(core.ResolveWith, a.by, a.reason));
    public void Reopen(Actor by, string? reason = null) => Lend((by, reason), static (core, a) => core.Machine.Fire(core.ReopenWith, a.by, a.reason));
    public void Cancel(Actor by, string? reason = null) => Lend((by, reason), static (core, a) => core.Machine.Fire(core.CancelWith, a.by, a.reason));

    /// <summary>Records something that is not a move (a follow-up, a relayed file) in the audit trail.</summary>
    public void Note(string kind, Actor actor, string? detail = null) =>
        _events.Add(new TicketEvent(_ticket.Id, Now(), kind, null, null, actor, detail));

    /// <summary>Records the creation of a ticket that was just stored.</summary>
    public void Created(Actor citizen) =>
        _events.Add(new TicketEvent(_ticket.Id, _ticket.CreatedAt, "Created", null, TicketState.New, citizen));

    public string ToDotGraph() => UmlDotGraph.Format(Info());

    public string ToMermaidGraph() => MermaidGraph.Format(Info());

    private bool CanFire(Trigger trigger) => ThreadLent<Core, TicketMachine>.Use(this, trigger, static (core, t) => core.Machine.CanFire(t));

    private StateMachineInfo Info() => ThreadLent<Core, TicketMachine>.Use(this, 0, static (core, _) => core.Machine.GetInfo());

    private void Lend<TArg>(TArg arg, Action<Core, TArg> move) => ThreadLent<Core, TicketMachine>.Use(this, arg, move);

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

    /// <summary>The configured Stateless machine; it acts on whichever ticket it is lent to.</summary>
    private sealed class Core : ILent<TicketMachine>
    {
        public Core()
        {
            // Stateless reads the state once as it is made, before any ticket is lent: every ticket starts New.
            Machine = new StateMachine<TicketState, Trigger>(() => Owner is { } owner ? owner._ticket.State : TicketState.New, s => Owner!._ticket.State = s);
            ClaimWith = Machine.SetTriggerParameters<Actor>(Trigger.Claim);
            UnclaimWith = Machine.SetTriggerParameters<Actor>(Trigger.Unclaim);
            AnswerWith = Machine.SetTriggerParameters<Actor>(Trigger.Answer);
            ResolveWith = Machine.SetTriggerParameters<Actor, string?>(Trigger.Resolve);
            ReopenWith = Machine.SetTriggerParameters<Actor, string?>(Trigger.Reopen);
            CancelWith = Machine.SetTriggerParameters<Actor, string?>(Trigger.Cancel);

            Machine.Configure(TicketState.New)
                .Permit(Trigger.Claim, TicketState.Claimed)
                .Permit(Trigger.Resolve, TicketState.Resolved)
                .Permit(Trigger.Cancel, TicketState.Cancelled);

            Machine.Configure(TicketState.Claimed)
                .OnEntryFrom(ClaimWith, OnClaimed)
                .Permit(Trigger.Unclaim, TicketState.New)
                .Permit(Trigger.Answer, TicketState.Answered)
                .Permit(Trigger.Resolve, TicketState.Resolved)
                .Permit(Trigger.Cancel, TicketState.Cancelled);

            Machine.Configure(TicketState.New)
                .OnEntryFrom(UnclaimWith, OnUnclaimed);

            Machine.Configure(TicketState.Answered)
                .OnEntryFrom(AnswerWith, OnAnswered)
                // A further answer from the owner (a correction, a second part) keeps it Answered.
                .PermitReentry(Trigger.Answer)
                .Permit(Trigger.Resolve, TicketState.Resolved)
                .Permit(Trigger.Reopen, TicketState.Reopened)
                .Permit(Trigger.Cancel, TicketState.Cancelled);

            Machine.Configure(TicketState.Reopened)
                .OnEntryFrom(ReopenWith, OnReopened)
                .Permit(Trigger.Claim, TicketState.Claimed)
                .Permit(Trigger.Resolve, TicketState.Resolved)
                .Permit(Trigger.Cancel, TicketState.Cancelled);

            Machine.Configure(TicketState.Resolved)
                .OnEntryFrom(ResolveWith, OnResolved)
                .Permit(Trigger.Reopen, TicketState.Reopened);

            Machine.Configure(TicketState.Cancelled)
                .OnEntryFrom(CancelWith, OnCancelled)
                .Permit(Trigger.Reopen, TicketState.Reopened);

            Machine.OnUnhandledTrigger((state, trigger) =>
                throw new InvalidOperationException($"Ticket #{Owner!._ticket.Id}: {trigger} is not allowed in {state}."));
        }

        public TicketMachine? Owner { get; set; }
        public StateMachine<TicketState, Trigger> Machine { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> ClaimWith { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> UnclaimWith { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor> AnswerWith { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> ResolveWith { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> ReopenWith { get; }
        public StateMachine<TicketState, Trigger>.TriggerWithParameters<Actor, string?> CancelWith { get; }

        // Named as the ticket's own actions: Stateless shows these names in the graphs (docs/state-machines.md).
        private void OnClaimed(Actor member, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnClaimed(member, transition);
        private void OnUnclaimed(Actor by, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnUnclaimed(by, transition);
        private void OnAnswered(Actor member, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnAnswered(member, transition);
        private void OnResolved(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnResolved(by, reason, transition);
        private void OnReopened(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnReopened(by, reason, transition);
        private void OnCancelled(Actor by, string? reason, StateMachine<TicketState, Trigger>.Transition transition) => Owner!.OnCancelled(by, reason, transition);
    }
}
