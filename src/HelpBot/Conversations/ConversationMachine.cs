using Stateless;
using Stateless.Graph;

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
/// The conversation with one citizen. Built around the stored <see cref="Conversation"/> for each event,
/// which it reads and writes through the accessor/mutator.
/// </summary>
public sealed class ConversationMachine
{
    public enum Trigger { Ask, SendAttachmentAlone, AnswerDelivered, Solved, NotSolved, TicketReopened, TicketClosed }

    private readonly Conversation _conversation;
    private readonly StateMachine<ConversationState, Trigger> _machine;
    private readonly StateMachine<ConversationState, Trigger>.TriggerWithParameters<long> _ask;
    private readonly StateMachine<ConversationState, Trigger>.TriggerWithParameters<string> _attachmentAlone;
    private readonly StateMachine<ConversationState, Trigger>.TriggerWithParameters<long> _reopened;

    public ConversationMachine(Conversation conversation)
    {
        _conversation = conversation;
        _machine = new StateMachine<ConversationState, Trigger>(() => _conversation.State, s => _conversation.State = s);
        _ask = _machine.SetTriggerParameters<long>(Trigger.Ask);
        _attachmentAlone = _machine.SetTriggerParameters<string>(Trigger.SendAttachmentAlone);
        _reopened = _machine.SetTriggerParameters<long>(Trigger.TicketReopened);

        _machine.Configure(ConversationState.Idle)
            .OnEntry(ForgetTicket)
            .Permit(Trigger.Ask, ConversationState.AwaitingTeam)
            .Permit(Trigger.SendAttachmentAlone, ConversationState.AwaitingDetail)
            .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
            .Ignore(Trigger.TicketClosed)
            .Ignore(Trigger.Solved)
            .Ignore(Trigger.NotSolved)
            .Ignore(Trigger.AnswerDelivered);

        _machine.Configure(ConversationState.AwaitingDetail)
            .OnEntryFrom(_attachmentAlone, RememberAttachment)
            .Permit(Trigger.Ask, ConversationState.AwaitingTeam)
            // Another photo while we wait for words: remember the latest, keep waiting.
            .PermitReentry(Trigger.SendAttachmentAlone)
            .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
            .Permit(Trigger.TicketClosed, ConversationState.Idle)
            .Ignore(Trigger.Solved)
            .Ignore(Trigger.NotSolved)
            .Ignore(Trigger.AnswerDelivered);

        _machine.Configure(ConversationState.AwaitingTeam)
            .OnEntryFrom(_ask, RememberTicket)
            .OnEntryFrom(_reopened, RememberTicket)
            .Permit(Trigger.AnswerDelivered, ConversationState.AwaitingFeedback)
            .Permit(Trigger.TicketClosed, ConversationState.Idle)
            .Permit(Trigger.Solved, ConversationState.Idle)
            .PermitReentry(Trigger.TicketReopened)
            .Ignore(Trigger.NotSolved)
            .Ignore(Trigger.SendAttachmentAlone);

        _machine.Configure(ConversationState.AwaitingFeedback)
            .Permit(Trigger.Solved, ConversationState.Idle)
            .Permit(Trigger.TicketClosed, ConversationState.Idle)
            .Permit(Trigger.NotSolved, ConversationState.AwaitingTeam)
            .Permit(Trigger.TicketReopened, ConversationState.AwaitingTeam)
            .PermitReentry(Trigger.AnswerDelivered)
            .Ignore(Trigger.SendAttachmentAlone);
    }

    public ConversationState State => _conversation.State;

    /// <summary>The open ticket that the citizen's messages join, if any.</summary>
    public long? OpenTicketId =>
        State is ConversationState.AwaitingTeam or ConversationState.AwaitingFeedback ? _conversation.TicketId : null;

    public string? PendingAttachment => State == ConversationState.AwaitingDetail ? _conversation.PendingMessageId : null;

    public bool CanAsk => _machine.CanFire(Trigger.Ask);

    public void Asked(long ticketId) => _machine.Fire(_ask, ticketId);
    public void SentAttachmentAlone(string messageId) => _machine.Fire(_attachmentAlone, messageId);
    public void AnswerDelivered() => _machine.Fire(Trigger.AnswerDelivered);
    public void Solved() => _machine.Fire(Trigger.Solved);
    public void NotSolved() => _machine.Fire(Trigger.NotSolved);
    public void TicketReopened(long ticketId) => _machine.Fire(_reopened, ticketId);
    public void TicketClosed() => _machine.Fire(Trigger.TicketClosed);

    private void ForgetTicket()
    {
        _conversation.TicketId = null;
        _conversation.PendingMessageId = null;
    }

    private void RememberAttachment(string messageId) => _conversation.PendingMessageId = messageId;

    private void RememberTicket(long ticketId) => _conversation.TicketId = ticketId;

    public string ToDotGraph() => UmlDotGraph.Format(_machine.GetInfo());

    public string ToMermaidGraph() => MermaidGraph.Format(_machine.GetInfo());
}
