using System.Text;
using HelpBot.Categories;
using HelpBot.Commands;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Reports;
using HelpBot.Storage;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Team;

/// <summary>The roster: /team, /admin, /away, /back. Authorisation has already happened in the router.</summary>
public sealed class TeamCommands(TicketDesk desk, Roles roles, CategoryCatalog categories, Texts texts, TimeProvider time)
{
    public async Task<string> RunAsync(DeskSession s, InboundEvent e, CommandLine command, Actor actor)
    {
        var args = command.Arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rest = args.Length > 1 ? args[1] : "";
        return (command.Name, args.FirstOrDefault()?.ToLowerInvariant()) switch
        {
            ("away", _) => await SetAwayAsync(s, e, actor, away: true),
            ("back", _) => await SetAwayAsync(s, e, actor, away: false),
            ("team", null) => await ListAsync(s),
            ("team", "add") => await AddAsync(s, e, rest, actor, admin: false),
            ("team", "remove") => await RemoveAsync(s, e, rest, actor),
            ("team", "skills") => await SkillsAsync(s, e, rest, actor),
            ("admin", "add") => await AddAsync(s, e, rest, actor, admin: true),
            ("admin", "remove") => await RemoveAdminAsync(s, e, rest, actor),
            ("admin", _) => texts.Usage(texts.CommandUsage("admin")),
            _ => texts.Usage(texts.CommandUsage("team")),
        };
    }

    private async Task<string> ListAsync(DeskSession s)
    {
        var members = await s.ListMembersAsync();
        if (members.Count == 0)
        {
            return texts.TeamEmpty;
        }
        var now = time.GetUtcNow();
        Periods.TryParse("month", now, out var month);
        var figures = (await Statistics.ComputeAsync(s.Connection, new StatsQuery(month, categories.All), s.Transaction)).Members;
        var sb = new StringBuilder(texts.TeamTitle(members.Count));
        foreach (var m in members)
        {
            var open = await s.CountOpenTicketsAsync(m.Key);
            var mine = figures.FirstOrDefault(f => f.ActorId == m.Key);
            var skills = m.SkillCodes.Select(code => categories.Get(code).Name).ToList();
            sb.AppendLine().Append(texts.TeamLine(m.DisplayName, m.IsAdmin || roles.IsConfiguredAdmin(m.Channel, m.UserId), m.Channel, m.UserId, open));
            sb.AppendLine().Append("   ").Append(texts.TeamMemberDetail(skills, m.Away, mine?.Answered ?? 0,
                mine?.MedianFirstResponseSeconds is { } median ? TimeSpan.FromSeconds(median) : null));
        }
        return sb.ToString();
    }

    /// <summary>"/team add" as a reply to the person's message, or "/team add &lt;user id&gt; &lt;name&gt;".</summary>
    private async Task<string> AddAsync(DeskSession s, InboundEvent e, string rest, Actor actor, bool admin)
    {
        var parts = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (id, name) = e.ReplyToUser is { IsBot: false } replied && (parts.Length == 0 || !parts[0].All(char.IsAsciiDigit))
            ? (replied.Id, rest.Length > 0 ? rest : replied.DisplayName)
            : parts.Length >= 1 && parts[0].Length > 0 ? (parts[0], parts.Length == 2 ? parts[1] : null) : (null, null);
        if (id is null)
        {
            return texts.Usage(texts.CommandUsage(admin ? "admin" : "team"));
        }
        var existing = await s.GetMemberAsync(e.Channel, id);
        if (existing is null && name is null)
        {
            return texts.Usage(texts.CommandUsage("team"));
        }
        var member = existing ?? new TeamMember
        {
            Channel = e.Channel, UserId = id, DisplayName = name!, JoinedAt = time.GetUtcNow(), JoinedHow = "admin",
        };
        if (existing is null)
        {
            await s.UpsertMemberAsync(member);
        }
        if (name is not null)
        {
            member.DisplayName = name;
        }
        member.IsAdmin |= admin;
        await s.SetMemberAsync(member);
        await desk.RecordAdminActionAsync(s, actor, $"{(admin ? "admin" : "team")} add {member.Key}");
        return admin ? texts.AdminAdded(member.DisplayName) : texts.TeamAdded(member.DisplayName);
    }

    private async Task<string> RemoveAsync(DeskSession s, InboundEvent e, string who, Actor actor)
    {
        if (await FindAsync(s, e, who) is not { } member)
        {
            return texts.TeamNotMember(who);
        }
        var released = await desk.ReleaseAllAsync(s, member.Key, actor);
        await s.RemoveMemberAsync(member.Channel, member.UserId);
        await desk.RecordAdminActionAsync(s, actor, $"team remove {member.Key}");
        var removed = texts.TeamRemoved(member.DisplayName, released);
        if (released.Count > 0 && !desk.IsStaffChat(e.Channel, e.ChatId))
        {
            await desk.ToStaffAsync(s, null, new OutboundMessage { Kind = OutboundKind.Text, Text = removed });
        }
        return removed;
    }

    private async Task<string> RemoveAdminAsync(DeskSession s, InboundEvent e, string who, Actor actor)
    {
        if (await FindAsync(s, e, who) is not { } member)
        {
            return roles.IsConfiguredAdmin(e.Channel, who.Trim()) ? texts.AdminFromConfiguration : texts.TeamNotMember(who);
        }
        if (roles.IsConfiguredAdmin(member.Channel, member.UserId))
        {
            return texts.AdminFromConfiguration;
        }
        member.IsAdmin = false;
        await s.SetMemberAsync(member);
        await desk.RecordAdminActionAsync(s, actor, $"admin remove {member.Key}");
        return texts.AdminRemoved(member.DisplayName);
    }

    private async Task<string> SkillsAsync(DeskSession s, InboundEvent e, string rest, Actor actor)
    {
        var parts = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 1 || await FindAsync(s, e, parts[0]) is not { } member)
        {
            return parts.Length < 1 ? texts.Usage(texts.CommandUsage("team")) : texts.TeamNotMember(parts[0]);
        }
        var typed = parts.Length == 2 ? parts[1].Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var chosen = new List<Category>();
        foreach (var t in typed)
        {
            if (t is "-" or "none" or "khong")
            {
                continue;
            }
            if (categories.Find(t) is not { } category)
            {
                return texts.UnknownCategory(t, categories.All.Select(c => $"{c.Code} ({c.Name})"));
            }
            chosen.Add(category);
        }
        member.Skills = string.Join(',', chosen.Select(c => c.Code).Distinct());
        await s.SetMemberAsync(member);
        await desk.RecordAdminActionAsync(s, actor, $"team skills {member.Key} {member.Skills}");
        return texts.SkillsSet(member.DisplayName, chosen.Select(c => c.Name).Distinct().ToList());
    }

    private async Task<string> SetAwayAsync(DeskSession s, InboundEvent e, Actor actor, bool away)
    {
        var member = await s.GetMemberAsync(e.Channel, e.From.Id);
        if (member is null)
        {
            // A configured admin who never wrote in the staff chat joins the roster now.
            member = new TeamMember { Channel = e.Channel, UserId = e.From.Id, DisplayName = e.From.DisplayName, JoinedAt = time.GetUtcNow(), JoinedHow = "self" };
            await s.UpsertMemberAsync(member);
        }
        member.Away = away;
        await s.SetMemberAsync(member);
        return away ? texts.NowAway(member.DisplayName) : texts.NowBack(member.DisplayName);
    }

    public Task<TeamMember?> FindMemberAsync(DeskSession s, InboundEvent e, string who) => FindAsync(s, e, who);

    /// <summary>A member by user id, or by a name that matches one member only (diacritics-insensitive).</summary>
    private static async Task<TeamMember?> FindAsync(DeskSession s, InboundEvent e, string who)
    {
        who = who.Trim().TrimStart('@');
        if (who.Length == 0)
        {
            return e.ReplyToUser is { } replied ? await s.GetMemberAsync(e.Channel, replied.Id) : null;
        }
        if (await s.GetMemberAsync(e.Channel, who) is { } byId)
        {
            return byId;
        }
        var folded = VietnameseText.Fold(who);
        var byName = (await s.ListMembersAsync()).Where(m => VietnameseText.Fold(m.DisplayName).StartsWith(folded, StringComparison.Ordinal)).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }
}
