using Stateless;
using Stateless.Graph;
using Stateless.Reflection;

namespace HelpBot.Conversations;

/// <summary>What the bot is waiting for from one citizen in one chat.</summary>
public enum ConversationState
{
    /// <summary>Nothing open: the next question opens a ticket.</summary>
    Idle,
    /// <summary>The citizen sent a photo or file without a word; the bot asked what they need.</summary>
    AwaitingDetail,
    /// <summary>A ticket is open and the team is on it; messages join that ticket.</summary>
    AwaitingTeam,
    /// <summary>An answer was delivered; the bot waits for "solved" or "not solved".</summary>
    AwaitingFeedback,
}

/// <summary>A citizen's conversation, as stored in the <c>conversations</c> table.</summary>
public sealed class Conversation
{
    public string Channel { get; set; } = "";
    public string ChatId { get; set; } = "";
    public string UserId { get; set; } = "";
    public ConversationState State { get; set; }
    public long? TicketId { get; set; }
    public string? PendingMessageId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// The conversation with one citizen. Made around the stored <see cref="Conversation"/> for each event, which it reads
/// and writes through the accessor/mutator. The Stateless machine is configured once per thread and lent for one
/// synchronous call at a time, as <see cref="HelpBot.Tickets.TicketMachine"/>'s is.
/// </summary>
public sealed class ConversationMachine
{
    public enum Trigger { Ask, SendAttachmentAlone, AnswerDelivered, Solved, NotSolved, TicketReopened, TicketClosed }

    [ThreadStatic]
    private static Core? _spare;

    private readonly Conversation _conversation;

    public ConversationMachine(Conversation conversation) => _conversation = conversation;

    public ConversationState State => _conversation.State;

    /// <summary>The open ticket that the citizen's messages join, if any.</summary>
    public long? OpenTicketId =>
        State is ConversationState.AwaitingTeam or ConversationState.AwaitingFeedback ? _conversation.TicketId : null;

    public string? PendingAttachment => State == ConversationState.AwaitingDetail ? _conversation.PendingMessageId : null;

    public bool CanAsk
    {
        get
        {
            var core = Rent();
            var can = core.Machine.CanFire(Trigger.Ask);
            Return(core);
            return can;
        }
    }

    public void Asked(long ticketId)
    {
        var core = Rent();
        core.Machine.Fire(core.AskWith, ticketId);
        Return(core);
    }

    public void SentAttachmentAlone(string messageId)
    {
        var core = Rent();
        core.Machine.Fire(core.AttachmentAloneWith, messageId);
        Return(core);
    }

    public void TicketReopened(long ticketId)
    {
        var core = Rent();
        core.Machine.Fire(core.ReopenedWith, ticketId);
        Return(core);
    }

    public void AnswerDelivered() => Fire(Trigger.AnswerDelivered);
    public void Solved() => Fire(Trigger.Solved);
    public void NotSolved() => Fire(Trigger.NotSolved);
    public void TicketClosed() => Fire(Trigger.TicketClosed);

    private void ForgetTicket()
    {
        _conversation.TicketId = null;
        _conversation.PendingMessageId = null;
    }

    private void RememberAttachment(string messageId) => _conversation.PendingMessageId = messageId;

    private void RememberTicket(long ticketId) => _conversation.TicketId = ticketId;

    public string ToDotGraph() => UmlDotGraph.Format(Info());

    public string ToMermaidGraph() => MermaidGraph.Format(Info());

    private void Fire(Trigger trigger)
    {
        var core = Rent();
        core.Machine.Fire(trigger);
        Return(core);
    }

    private StateMachineInfo Info()
    {
        var core = Rent();
        var info = core.Machine.GetInfo();
        Return(core);
        return info;
    }

    /// <summary>This thread's spare machine, or a new one, lent to this conversation; a call that throws does not give it back.</summary>
    private Core Rent()
    {
        var core = _spare ?? new Core();
        _spare = null;
        core.Owner = this;
        return core;
    }

    private static void Return(Core core)
    {
        core.Owner = null;
        _spare = core;
    }

    /// <summary>The configured Stateless machine; it acts on whichever conversation it is lent to.</summary>
    private sealed class Core
    {
        public Core()
        {
            // Stateless reads the state once as it is made, before any conversation is lent: every one starts Idle.
            Machine = new StateMachine<ConversationState, Trigger>(
                () => Owner is { } owner ? owner._conversation.State : ConversationState.Idle, s => Owner!._conversation.State = s);
            AskWith = Machine.SetTriggerParameters<long>(Trigger.Ask);
            AttachmentAloneWith = Machine.SetTriggerParameters<string>(Trigger.SendAttachmentAlone);
            ReopenedWith = Machine.SetTriggerParameters<long>(Trigger.TicketReopened);

            Machine.Configure(ConversationState.Idle)
                .OnEntry(ForgetTicket)
                .Permit(Trigger.Ask, ConversationState.AwaitingTeam)
                .Permit(Trigger.SendAttachmentAlone, ConversationState.AwaitingDetail)
                .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
                .Ignore(Trigger.TicketClosed)
                .Ignore(Trigger.Solved)
                .Ignore(Trigger.NotSolved)
                .Ignore(Trigger.AnswerDelivered);

            Machine.Configure(ConversationState.AwaitingDetail)
                .OnEntryFrom(AttachmentAloneWith, RememberAttachment)
                .Permit(Trigger.Ask, ConversationState.AwaitingTeam)
                // Another photo while we wait for words: remember the latest, keep waiting.
                .PermitReentry(Trigger.SendAttachmentAlone)
                .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
                .Permit(Trigger.TicketClosed, ConversationState.Idle)
                .Ignore(Trigger.Solved)
                .Ignore(Trigger.NotSolved)
                .Ignore(Trigger.AnswerDelivered);

            Machine.Configure(ConversationState.AwaitingTeam)
                .OnEntryFrom(AskWith, RememberTicket)
                .OnEntryFrom(ReopenedWith, RememberTicket)
                .Permit(Trigger.AnswerDelivered, ConversationState.AwaitingFeedback)
                .Permit(Trigger.TicketClosed, ConversationState.Idle)
                .Permit(Trigger.Solved, ConversationState.Idle)
                .PermitReentry(Trigger.TicketReopened)
                .Ignore(Trigger.NotSolved)
                .Ignore(Trigger.SendAttachmentAlone);

            Machine.Configure(ConversationState.AwaitingFeedback)
                .Permit(Trigger.Solved, ConversationState.Idle)
                .Permit(Trigger.TicketClosed, ConversationState.Idle)
                .Permit(Trigger.NotSolved, ConversationState.AwaitingTeam)
                .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
                .PermitReentry(Trigger.AnswerDelivered)
                .Ignore(Trigger.SendAttachmentAlone);
        }

        public ConversationMachine? Owner { get; set; }
        public StateMachine<ConversationState, Trigger> Machine { get; }
        public StateMachine<ConversationState, Trigger>.TriggerWithParameters<long> AskWith { get; }
        public StateMachine<ConversationState, Trigger>.TriggerWithParameters<string> AttachmentAloneWith { get; }
        public StateMachine<ConversationState, Trigger>.TriggerWithParameters<long> ReopenedWith { get; }

        // Named as the conversation's own actions: Stateless shows these names in the graphs (docs/state-machines.md).
        private void ForgetTicket() => Owner!.ForgetTicket();
        private void RememberAttachment(string messageId) => Owner!.RememberAttachment(messageId);
        private void RememberTicket(long ticketId) => Owner!.RememberTicket(ticketId);
    }
}
