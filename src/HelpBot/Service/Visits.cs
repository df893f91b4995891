using Dapper;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Text;
using HelpBot.Tickets;
using Microsoft.Extensions.Options;

namespace HelpBot.Service;

/// <summary>A village team's chat, on the staff chat's channel (<c>HelpBot:Villages</c>).</summary>
public sealed class Village
{
    public string Name { get; set; } = "";
    public string ChatId { get; set; } = "";
}

public sealed class Visit
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public string Village { get; set; } = "";
    public string Note { get; set; } = "";
    public string? ClaimedBy { get; set; }
    public long? DoneAt { get; set; }
}

/// <summary>
/// Home visits: a team member asks a village team to visit (/visit 12 &lt;village&gt; &lt;address or note&gt;); the
/// village chat gets a card; a village member claims it with its button and, after the visit, replies to the
/// card with the outcome. Every step is in the ticket's history, and the staff chat is told the outcome.
/// </summary>
public sealed class Visits(TicketDesk desk, IChatDirectory chats, IOptions<DeskOptions> options, Texts texts, TimeProvider time)
{
    public const string CardRole = "visit-card";

    public Village? VillageByChat(string channel, string chatId) =>
        channel == chats.Staff.Channel ? options.Value.Villages.FirstOrDefault(v => v.ChatId == chatId) : null;

    public async Task<string> RequestAsync(DeskSession s, Ticket ticket, Actor member, string arguments)
    {
        var villages = options.Value.Villages;
        var folded = VietnameseText.Fold(arguments);
        // The village is named first; its name may have several words ("Thôn 3", "Buôn Đôn").
        var village = villages.OrderByDescending(v => v.Name.Length)
            .FirstOrDefault(v => folded.StartsWith(VietnameseText.Fold(v.Name), StringComparison.Ordinal));
        if (village is null)
        {
            return texts.UnknownVillage(villages.Select(v => v.Name).ToList());
        }
        // The typed village name has as many words as the configured one; the rest is the address or note.
        var note = string.Join(' ', arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(village.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        if (note.Length == 0)
        {
            return texts.Usage(texts.CommandUsage("visit"));
        }
        var now = time.GetUtcNow();
        var id = await s.Connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO visits (ticket_id, village, note, requested_by, requested_at) VALUES (@ticket, @village, @note, @by, @now)
            RETURNING id
            """, new { ticket = ticket.Id, village = village.Name, note, by = member.Id, now = now.Ms() }, s.Transaction);
        var machine = new TicketMachine(ticket, time);
        machine.Note("VisitRequested", member, $"{village.Name}: {note}");
        await s.AddEventsAsync(machine.Events);
        await s.EnqueueAsync(chats.Staff.Channel, village.ChatId, ChatKinds.Staff, Priority.Staff, ticket.Id, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = texts.VisitCard(ticket, village.Name, note, member.Name),
            Buttons = [[new OutboundButton(texts.ButtonClaimVisit, $"visit:{ticket.Id}")]],
            LinkRole = CardRole,
        }, now);
        return texts.VisitRequested(ticket.Id, village.Name, id);
    }

    public async Task<string> ClaimAsync(DeskSession s, Ticket ticket, Actor member, string chatId, string? cardMessageId)
    {
        var visit = await OpenVisitAsync(s, ticket.Id);
        if (visit is null)
        {
            return texts.NoOpenVisit(ticket.Id);
        }
        if (visit.ClaimedBy is { } holder && holder != member.Id)
        {
            return texts.VisitTaken(ticket.Id);
        }
        await s.Connection.ExecuteAsync("UPDATE visits SET claimed_by = @by, claimed_at = @now WHERE id = @id",
            new { by = member.Id, now = time.GetUtcNow().Ms(), id = visit.Id }, s.Transaction);
        var machine = new TicketMachine(ticket, time);
        machine.Note("VisitClaimed", member, visit.Village);
        await s.AddEventsAsync(machine.Events);
        if (cardMessageId is not null)
        {
            await s.EnqueueAsync(chats.Staff.Channel, chatId, ChatKinds.Staff, Priority.Staff, ticket.Id, new OutboundMessage
            {
                Kind = OutboundKind.Edit,
                Target = MessageRef.Remote(cardMessageId),
                Text = texts.VisitCard(ticket, visit.Village, visit.Note, null) + "\n" + texts.VisitGoing(member.Name),
                Buttons = [],
            }, time.GetUtcNow());
        }
        return texts.VisitYours(ticket.Id);
    }

    /// <summary>The outcome, written as a reply to the visit card by the member who took it.</summary>
    public async Task<string?> RecordOutcomeAsync(DeskSession s, Ticket ticket, Actor member, string outcome)
    {
        var visit = await OpenVisitAsync(s, ticket.Id);
        if (visit is null)
        {
            return texts.NoOpenVisit(ticket.Id);
        }
        if (visit.ClaimedBy is null)
        {
            await s.Connection.ExecuteAsync("UPDATE visits SET claimed_by = @by, claimed_at = @now WHERE id = @id",
                new { by = member.Id, now = time.GetUtcNow().Ms(), id = visit.Id }, s.Transaction);
        }
        else if (visit.ClaimedBy != member.Id)
        {
            return texts.VisitTaken(ticket.Id);
        }
        await s.Connection.ExecuteAsync("UPDATE visits SET done_at = @now, outcome = @outcome WHERE id = @id",
            new { now = time.GetUtcNow().Ms(), outcome, id = visit.Id }, s.Transaction);
        var machine = new TicketMachine(ticket, time);
        machine.Note("VisitDone", member, Texts.Shorten(outcome, 500));
        await s.AddEventsAsync(machine.Events);
        await desk.ToStaffAsync(s, ticket.Id, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = texts.VisitReported(ticket.Id, visit.Village, member.Name, Texts.Shorten(outcome, 2000)),
            ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card),
        });
        return null;
    }

    private static Task<Visit?> OpenVisitAsync(DeskSession s, long ticketId) =>
        s.Connection.QueryFirstOrDefaultAsync<Visit>(
            """
            SELECT id AS Id, ticket_id AS TicketId, village AS Village, note AS Note, claimed_by AS ClaimedBy, done_at AS DoneAt
            FROM visits WHERE ticket_id = @ticketId AND done_at IS NULL ORDER BY id DESC LIMIT 1
            """, new { ticketId }, s.Transaction);
}
