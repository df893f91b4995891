using HelpBot.Conversations;

namespace HelpBot.Tests.Conversations;

public sealed class ConversationMachineTests
{
    private static ConversationMachine In(ConversationState state, long? ticket, out Conversation conversation)
    {
        conversation = new Conversation { State = state, TicketId = ticket };
        return new ConversationMachine(conversation);
    }

    public static TheoryData<ConversationState, ConversationMachine.Trigger, ConversationState?> Moves()
    {
        var s = ConversationState.Idle;
        var d = ConversationState.AwaitingDetail;
        var t = ConversationState.AwaitingTeam;
        var f = ConversationState.AwaitingFeedback;
        var table = new Dictionary<(ConversationState, ConversationMachine.Trigger), ConversationState?>
        {
            [(s, ConversationMachine.Trigger.Ask)] = t,
            [(s, ConversationMachine.Trigger.SendAttachmentAlone)] = d,
            [(s, ConversationMachine.Trigger.AnswerDelivered)] = s,
            [(s, ConversationMachine.Trigger.Solved)] = s,
            [(s, ConversationMachine.Trigger.NotSolved)] = s,
            [(s, ConversationMachine.Trigger.TicketReopened)] = t,
            [(s, ConversationMachine.Trigger.TicketClosed)] = s,
            [(d, ConversationMachine.Trigger.Ask)] = t,
            [(d, ConversationMachine.Trigger.SendAttachmentAlone)] = d,
            [(d, ConversationMachine.Trigger.AnswerDelivered)] = d,
            [(d, ConversationMachine.Trigger.Solved)] = d,
            [(d, ConversationMachine.Trigger.NotSolved)] = d,
            [(d, ConversationMachine.Trigger.TicketReopened)] = t,
            [(d, ConversationMachine.Trigger.TicketClosed)] = s,
            [(t, ConversationMachine.Trigger.Ask)] = null,
            [(t, ConversationMachine.Trigger.SendAttachmentAlone)] = t,
            [(t, ConversationMachine.Trigger.AnswerDelivered)] = f,
            [(t, ConversationMachine.Trigger.Solved)] = s,
            [(t, ConversationMachine.Trigger.NotSolved)] = t,
            [(t, ConversationMachine.Trigger.TicketReopened)] = t,
            [(t, ConversationMachine.Trigger.TicketClosed)] = s,
            [(f, ConversationMachine.Trigger.Ask)] = null,
            [(f, ConversationMachine.Trigger.SendAttachmentAlone)] = f,
            [(f, ConversationMachine.Trigger.AnswerDelivered)] = f,
            [(f, ConversationMachine.Trigger.Solved)] = s,
            [(f, ConversationMachine.Trigger.NotSolved)] = t,
            [(f, ConversationMachine.Trigger.TicketReopened)] = t,
            [(f, ConversationMachine.Trigger.TicketClosed)] = s,
        };
        var data = new TheoryData<ConversationState, ConversationMachine.Trigger, ConversationState?>();
        foreach (var ((state, trigger), to) in table)
        {
            data.Add(state, trigger, to);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Every_state_answers_every_trigger_as_designed(ConversationState from, ConversationMachine.Trigger trigger, ConversationState? to)
    {
        var machine = In(from, 5, out var conversation);
        Action fire = trigger switch
        {
            ConversationMachine.Trigger.Ask => () => machine.Asked(9),
            ConversationMachine.Trigger.SendAttachmentAlone => () => machine.SentAttachmentAlone("77"),
            ConversationMachine.Trigger.AnswerDelivered => machine.AnswerDelivered,
            ConversationMachine.Trigger.Solved => machine.Solved,
            ConversationMachine.Trigger.NotSolved => machine.NotSolved,
            ConversationMachine.Trigger.TicketReopened => () => machine.TicketReopened(9),
            _ => machine.TicketClosed,
        };
        if (to is null)
        {
            Assert.Throws<InvalidOperationException>(fire);
            Assert.Equal(from, conversation.State);
            return;
        }
        fire();
        Assert.Equal(to, conversation.State);
    }

    [Fact]
    public void Asking_remembers_the_ticket_and_closing_forgets_it()
    {
        var machine = In(ConversationState.Idle, null, out var conversation);
        machine.SentAttachmentAlone("41");
        Assert.Equal("41", machine.PendingAttachment);
        machine.Asked(12);
        Assert.Equal(12, machine.OpenTicketId);
        machine.AnswerDelivered();
        Assert.Equal(12, machine.OpenTicketId);
        machine.Solved();
        Assert.Null(conversation.TicketId);
        Assert.Null(conversation.PendingMessageId);
        Assert.Null(machine.OpenTicketId);
    }

    [Fact]
    public void Machines_sharing_a_thread_each_move_their_own_conversation()
    {
        var one = In(ConversationState.Idle, null, out var first);
        var two = In(ConversationState.AwaitingFeedback, 5, out var second);

        Assert.True(one.CanAsk);
        Assert.False(two.CanAsk);
        one.Asked(12);
        two.Solved();
        one.AnswerDelivered();

        Assert.Equal((ConversationState.AwaitingFeedback, (long?)12), (first.State, first.TicketId));
        Assert.Equal((ConversationState.Idle, (long?)null), (second.State, second.TicketId));
    }
}
