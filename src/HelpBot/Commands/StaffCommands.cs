using System.Globalization;
using System.Text;
using HelpBot.Categories;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Reports;
using HelpBot.Service;
using HelpBot.Storage;
using HelpBot.Team;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Commands;

/// <summary>The team's and the admins' slash commands. Authorisation has already happened in the router.</summary>
public sealed class StaffCommands(
    TicketDesk desk, TeamCommands team, ModerationCommands moderation, Visits visits, CategoryCatalog categories, IChatDirectory chats, Texts texts, TimeProvider time)
{
    public const int ListLimit = 30;

    public async Task<OutboundMessage?> RunAsync(DeskSession s, InboundEvent e, CommandLine command, Role role)
    {
        var actor = Actor.Of(e.Channel, e.From.Id, e.From.DisplayName);
        return command.Name switch
        {
            "claim" => await WithTicketAsync(s, command, t => desk.ClaimAsync(s, t, actor)),
            "unclaim" => await WithTicketAsync(s, command, t => desk.UnclaimAsync(s, t, actor, role == Role.Admin)),
            "close" => await WithTicketAsync(s, command, (t, rest) => desk.CloseAsync(s, t, actor, string.IsNullOrWhiteSpace(rest) ? null : rest)),
            "reopen" => await WithTicketAsync(s, command, (t, rest) => desk.ReopenAsync(s, t, actor, string.IsNullOrWhiteSpace(rest) ? null : rest, byCitizen: false)),
            "open" => Text(await ListAsync(s, null)),
            "mine" => Text(await ListAsync(s, actor.Id)),
            "ticket" => await HistoryAsync(s, command),
            "stats" => Text(await StatsAsync(s, e, command.Arguments)),
            "cat" => await WithTicketAsync(s, command, (t, rest) => SetCategoryAsync(s, t, actor, rest)),
            "visit" => await WithTicketAsync(s, command, async (t, rest) => new ActionResult(true, await visits.RequestAsync(s, t, actor, rest))),
            "team" or "admin" or "away" or "back" => Text(await team.RunAsync(s, e, command, actor)),
            "ban" or "unban" or "forget" => Text(await moderation.RunAsync(s, e, command, actor)),
            "faq" => Text(await FaqAsync(s, command, actor)),
            "export" => chats.FeaturesOf(e.Channel).Files ? Export(command.Arguments) : Text(texts.ExportNeedsFiles(texts.ChannelName(e.Channel))),
            _ => Text(texts.UnknownStaffCommand(command.Name)),
        };
    }

    private static OutboundMessage Text(string text) => new() { Kind = OutboundKind.Text, Text = text };

    private Task<OutboundMessage> WithTicketAsync(DeskSession s, CommandLine command, Func<Ticket, Task<ActionResult>> action) =>
        WithTicketAsync(s, command, (t, _) => action(t));

    private async Task<OutboundMessage> WithTicketAsync(DeskSession s, CommandLine command, Func<Ticket, string, Task<ActionResult>> action)
    {
        if (!command.TryTicketNumber(out var id, out var rest))
        {
            return Text(texts.Usage(texts.CommandUsage(command.Name)));
        }
        if (await s.GetTicketAsync(id) is not { } ticket)
        {
            return Text(texts.TicketNotFound(id));
        }
        var result = await action(ticket, rest);
        return Text(result.Message);
    }

    /// <summary>/faq add kw, kw | answer · /faq list · /faq remove N.</summary>
    private async Task<string> FaqAsync(DeskSession s, CommandLine command, Actor admin)
    {
        var args = command.Arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (args.FirstOrDefault()?.ToLowerInvariant())
        {
            case "add" when args.Length == 2 && args[1].Split('|', 2) is [var keywords, var answer]
                && !string.IsNullOrWhiteSpace(keywords) && !string.IsNullOrWhiteSpace(answer):
                var id = await s.AddFaqAsync(keywords.Trim(), answer.Trim(), admin, time.GetUtcNow());
                await desk.RecordAdminActionAsync(s, admin, $"faq add {id}");
                return texts.FaqAdded(id);
            case "list" or null:
                var entries = (await s.ListFaqAsync()).Where(f => f.Keywords.Length > 0).ToList();
                return entries.Count == 0 ? texts.FaqEmpty : string.Join("\n", entries.Select(f => texts.FaqLine(f.Id, f.Keywords, f.Answer)));
            case "remove" when args.Length == 2 && long.TryParse(args[1].TrimStart('#'), out var number):
                if (!await s.RemoveFaqAsync(number))
                {
                    return texts.FaqNotFound(number);
                }
                await desk.RecordAdminActionAsync(s, admin, $"faq remove {number}");
                return texts.FaqRemoved(number);
            default:
                return texts.Usage(texts.CommandUsage("faq"));
        }
    }

    private async Task<ActionResult> SetCategoryAsync(DeskSession s, Ticket ticket, Actor member, string typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || categories.Find(typed) is not { } category)
        {
            return new ActionResult(false, texts.UnknownCategory(typed, categories.All.Select(c => $"{c.Code} ({c.Name})")));
        }
        return await desk.SetCategoryAsync(s, ticket, member, category);
    }

    private async Task<string> ListAsync(DeskSession s, string? assigneeId)
    {
        var now = time.GetUtcNow();
        var total = await s.CountOpenTicketsAsync(assigneeId);
        if (total == 0)
        {
            return assigneeId is null ? texts.NoOpenTickets : texts.NoTicketsOfYours;
        }
        var tickets = await s.ListOpenTicketsAsync(ListLimit, assigneeId);
        var sb = new StringBuilder(assigneeId is null ? texts.OpenListTitle(tickets.Count, total) : texts.MineTitle(total));
        foreach (var t in tickets)
        {
            sb.AppendLine().Append(texts.ListLine(t, now));
        }
        return sb.ToString();
    }

    private async Task<OutboundMessage> HistoryAsync(DeskSession s, CommandLine command)
    {
        if (!command.TryTicketNumber(out var id, out _))
        {
            return Text(texts.Usage(texts.CommandUsage("ticket")));
        }
        if (await s.GetTicketAsync(id) is not { } ticket)
        {
            return Text(texts.TicketNotFound(id));
        }
        var now = time.GetUtcNow();
        var sb = new StringBuilder(texts.Card(ticket, now));
        sb.AppendLine().AppendLine().Append(texts.HistoryTitle);
        foreach (var ev in await s.GetEventsAsync(id))
        {
            sb.AppendLine().Append(LocalTime.Format(ev.At)).Append(" · ").Append(texts.EventName(ev.Kind)).Append(" · ").Append(ev.Actor.Name);
            if (!string.IsNullOrWhiteSpace(ev.Detail) && ev.Kind is not ("FollowUp" or "DeliveryFailed" or "CitizenUnreachable"))
            {
                sb.Append(" (").Append(Texts.Shorten(ev.Detail, 200)).Append(')');
            }
        }
        if (ticket.FirstResponseAt is { } first)
        {
            sb.AppendLine().AppendLine().Append(texts.FirstResponseAfter(first - ticket.CreatedAt,
                ticket.FirstResponseWorkSeconds is { } w ? TimeSpan.FromSeconds(w) : null));
        }
        if (ticket.State == TicketState.Resolved && ticket.ResolvedAt is { } resolved)
        {
            sb.AppendLine().Append(texts.ResolvedAfter(resolved - ticket.CreatedAt,
                ticket.ResolutionWorkSeconds is { } w ? TimeSpan.FromSeconds(w) : null));
        }
        return Text(sb.ToString());
    }

    /// <summary>/stats [today|week|month|YYYY-MM] [@member | categories | groups | channels], in any order.</summary>
    private async Task<string> StatsAsync(DeskSession s, InboundEvent e, string argument)
    {
        var now = time.GetUtcNow();
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Breakdown? view = null;
        string? who = null;
        var periodWord = "";
        foreach (var word in words)
        {
            var folded = VietnameseText.Fold(word);
            if (folded is "categories" or "category" or "linhvuc")
            {
                view = Breakdown.Category;
            }
            else if (folded is "groups" or "group" or "nhom")
            {
                view = Breakdown.Group;
            }
            else if (folded is "channels" or "channel" or "kenh")
            {
                view = Breakdown.Channel;
            }
            else if (Periods.TryParse(word, now, out _))
            {
                periodWord = word;
            }
            else
            {
                who = who is null ? word : $"{who} {word}";
            }
        }
        Periods.TryParse(periodWord, now, out var period);
        var query = new StatsQuery(period, categories.All);
        if (who is not null)
        {
            if (await team.FindMemberAsync(s, e, who) is not { } member)
            {
                return texts.Usage(texts.CommandUsage("stats"));
            }
            query = query with { AssigneeId = member.Key, MemberName = member.DisplayName };
        }
        if (view is null)
        {
            return StatsFormatter.Format(await Statistics.ComputeAsync(s.Connection, query, s.Transaction), texts);
        }
        var rows = await Statistics.BreakdownAsync(s.Connection, query, view.Value, s.Transaction);
        return StatsFormatter.FormatBreakdown(period, rows, view.Value, key => categories.Get(key).Name, texts);
    }

    private OutboundMessage Export(string arguments)
    {
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        DateOnly? from = null, to = null;
        if (parts.Length > 2
            || (parts.Length > 0 && !TryDate(parts[0], out from))
            || (parts.Length > 1 && !TryDate(parts[1], out to)))
        {
            return Text(texts.Usage(texts.CommandUsage("export")));
        }
        var name = $"helpbot-{from?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "all"}-{to?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "now"}.csv";
        return new OutboundMessage
        {
            Kind = OutboundKind.Document,
            Text = texts.ExportCaption(from, to),
            Document = new DocumentRequest("export", name, from, to),
        };
    }

    private static bool TryDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d);
        date = ok ? d : null;
        return ok;
    }
}
