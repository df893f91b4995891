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

    private readonly Conversation _conversation;

    public ConversationMachine(Conversation conversation) => _conversation = conversation;

    public ConversationState State => _conversation.State;

    /// <summary>The open ticket that the citizen's messages join, if any.</summary>
    public long? OpenTicketId =>
        State is ConversationState.AwaitingTeam or ConversationState.AwaitingFeedback ? _conversation.TicketId : null;

    public string? PendingAttachment => State == ConversationState.AwaitingDetail ? _conversation.PendingMessageId : null;

    public bool CanAsk => ThreadLent<Core, ConversationMachine>.Use(this, Trigger.Ask, static (core, t) => core.Machine.CanFire(t));

    public void Asked(long ticketId) => Lend(ticketId, static (core, id) => core.Machine.Fire(core.AskWith, id));
    public void SentAttachmentAlone(string messageId) => Lend(messageId, static (core, id) => core.Machine.Fire(core.AttachmentAloneWith, id));
    public void TicketReopened(long ticketId) => Lend(ticketId, static (core, id) => core.Machine.Fire(core.ReopenedWith, id));
    public void AnswerDelivered() => Lend(Trigger.AnswerDelivered, static (core, t) => core.Machine.Fire(t));
    public void Solved() => Lend(Trigger.Solved, static (core, t) => core.Machine.Fire(t));
    public void NotSolved() => Lend(Trigger.NotSolved, static (core, t) => core.Machine.Fire(t));
    public void TicketClosed() => Lend(Trigger.TicketClosed, static (core, t) => core.Machine.Fire(t));

    private void ForgetTicket()
    {
        _conversation.TicketId = null;
        _conversation.PendingMessageId = null;
    }

    private void RememberAttachment(string messageId) => _conversation.PendingMessageId = messageId;

    private void RememberTicket(long ticketId) => _conversation.TicketId = ticketId;

    public string ToDotGraph() => UmlDotGraph.Format(Info());

    public string ToMermaidGraph() => MermaidGraph.Format(Info());

    private StateMachineInfo Info() => ThreadLent<Core, ConversationMachine>.Use(this, 0, static (core, _) => core.Machine.GetInfo());

    private void Lend<TArg>(TArg arg, Action<Core, TArg> move) => ThreadLent<Core, ConversationMachine>.Use(this, arg, move);

    /// <summary>The configured Stateless machine; it acts on whichever conversation it is lent to.</summary>
    private sealed class Core : ILent<ConversationMachine>
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
