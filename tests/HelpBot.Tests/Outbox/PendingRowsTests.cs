using HelpBot.Outbox;

namespace HelpBot.Tests.Outbox;

public sealed class PendingRowsTests
{
    private static PendingRow Row(long id, string chat = "1", long? ticket = 7, long priority = 1, string kind = "Text") =>
        new() { Id = id, Channel = "telegram", ChatId = chat, ChatKind = "staff", Kind = kind, Priority = priority, TicketId = ticket };

    [Fact]
    public void Only_the_head_of_a_ticket_queue_is_a_candidate_and_the_next_follows_when_it_is_sent()
    {
        var pending = new PendingRows();
        pending.Add(Row(1));
        pending.Add(Row(2));
        pending.Add(Row(3));

        Assert.Equal([1L], pending.Candidates.Select(r => r.Id));
        pending.Remove(1);
        Assert.Equal([2L], pending.Candidates.Select(r => r.Id));
        pending.Remove(2);
        pending.Remove(3);
        Assert.Empty(pending.Candidates);
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void Candidates_come_by_priority_then_age_across_chats_and_tickets()
    {
        var pending = new PendingRows();
        pending.Add(Row(1, chat: "ack", priority: 2));
        pending.Add(Row(2, chat: "staff", ticket: 1, priority: 1));
        pending.Add(Row(3, chat: "staff", ticket: 2, priority: 1));
        pending.Add(Row(4, chat: "citizen", priority: 0));

        Assert.Equal([4L, 2L, 3L, 1L], pending.Candidates.Select(r => r.Id));
        Assert.Equal(4, pending.LastId);
    }

    [Fact]
    public void A_later_row_of_higher_priority_overtakes_the_head_of_its_ticket_queue()
    {
        var pending = new PendingRows();
        pending.Add(Row(1, priority: 2)); // the acknowledgement
        pending.Add(Row(2, priority: 0)); // the answer, committed while the acknowledgement waited

        Assert.Equal([2L], pending.Candidates.Select(r => r.Id));
        pending.Remove(2);
        Assert.Equal([1L], pending.Candidates.Select(r => r.Id));
    }

    [Fact]
    public void Button_answers_queue_behind_nothing()
    {
        var pending = new PendingRows();
        pending.Add(Row(1));
        pending.Add(Row(2, kind: "ButtonAnswer"));
        pending.Add(Row(3, kind: "ButtonAnswer"));

        Assert.Equal([1L, 2L, 3L], pending.Candidates.Select(r => r.Id));
    }

    [Fact]
    public void A_row_read_twice_is_held_once()
    {
        var pending = new PendingRows();
        pending.Add(Row(1));
        pending.Add(Row(1));
        pending.Remove(1);

        Assert.Empty(pending.Candidates);
        Assert.Equal(0, pending.Count);
    }
}
