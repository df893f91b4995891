using HelpBot.Team;

namespace HelpBot.Commands;

/// <summary>Where a command was typed.</summary>
[Flags]
public enum Where
{
    None = 0,
    Private = 1,
    SupportGroup = 2,
    StaffChat = 4,
    Team = Private | StaffChat,
    Anywhere = Private | SupportGroup | StaffChat,
}

/// <summary>One command: who may use it, and where. How to call it is a text (<see cref="Text.Texts.CommandUsage"/>).</summary>
public sealed record CommandSpec(string Name, Role MinimumRole, Where Where);

/// <summary>
/// The authorisation table: every command, the least role it needs and the chats it works in. Enforced
/// once, in <see cref="Authorize"/>, before any handler runs.
/// </summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("start", Role.Citizen, Where.Private),
        new("help", Role.Citizen, Where.Anywhere),
        new("hoi", Role.Citizen, Where.Private | Where.SupportGroup),
        new("claim", Role.Member, Where.Team),
        new("unclaim", Role.Member, Where.Team),
        new("close", Role.Member, Where.Team),
        new("reopen", Role.Member, Where.Team),
        new("open", Role.Member, Where.Team),
        new("mine", Role.Member, Where.Team),
        new("ticket", Role.Member, Where.Team),
        new("cat", Role.Member, Where.Team),
        new("visit", Role.Member, Where.Team),
        new("away", Role.Member, Where.Team),
        new("back", Role.Member, Where.Team),
        new("stats", Role.Admin, Where.Team),
        new("team", Role.Admin, Where.Team),
        new("admin", Role.Admin, Where.Team),
        new("export", Role.Admin, Where.Team),
        new("ban", Role.Admin, Where.Team),
        new("unban", Role.Admin, Where.Team),
        new("forget", Role.Admin, Where.Team),
        new("faq", Role.Admin, Where.Team),
    ];

    private static readonly Dictionary<string, CommandSpec> ByName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public static CommandSpec? Find(string name) => ByName.GetValueOrDefault(name);

    public enum Verdict { Allowed, Unknown, NeedsMember, NeedsAdmin, WrongChat }

    public static Verdict Authorize(string name, Role role, Where where)
    {
        if (Find(name) is not { } spec)
        {
            return Verdict.Unknown;
        }
        if (role < spec.MinimumRole)
        {
            return spec.MinimumRole == Role.Admin && role == Role.Member ? Verdict.NeedsAdmin : Verdict.NeedsMember;
        }
        return (spec.Where & where) != 0 ? Verdict.Allowed : Verdict.WrongChat;
    }

    public static IEnumerable<CommandSpec> For(Role role, Where where) =>
        All.Where(c => role >= c.MinimumRole && (c.Where & where) != 0);
}
