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

/// <summary>One command: who may use it, where, and how to call it.</summary>
public sealed record CommandSpec(string Name, Role MinimumRole, Where Where, string Usage, string Description);

/// <summary>
/// The authorisation table: every command, the least role it needs and the chats it works in. Enforced
/// once, in <see cref="Authorize"/>, before any handler runs.
/// </summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("start", Role.Citizen, Where.Private, "/start", "Cách đặt câu hỏi"),
        new("help", Role.Citizen, Where.Anywhere, "/help", "Hướng dẫn"),
        new("hoi", Role.Citizen, Where.Private | Where.SupportGroup, "/hoi <câu hỏi>", "Đặt câu hỏi"),
        new("claim", Role.Member, Where.Team, "/claim 12", "Nhận xử lý phiếu"),
        new("unclaim", Role.Member, Where.Team, "/unclaim 12", "Trả phiếu"),
        new("close", Role.Member, Where.Team, "/close 12 [lý do]", "Đóng phiếu"),
        new("reopen", Role.Member, Where.Team, "/reopen 12", "Mở lại phiếu"),
        new("open", Role.Member, Where.Team, "/open", "Phiếu chưa giải quyết"),
        new("mine", Role.Member, Where.Team, "/mine", "Phiếu của tôi"),
        new("ticket", Role.Member, Where.Team, "/ticket 12", "Lịch sử phiếu"),
        new("cat", Role.Member, Where.Team, "/cat 12 <lĩnh vực>", "Đổi lĩnh vực phiếu"),
        new("away", Role.Member, Where.Team, "/away", "Tạm vắng, không nhận gợi ý phiếu"),
        new("back", Role.Member, Where.Team, "/back", "Đã quay lại"),
        new("stats", Role.Admin, Where.Team, "/stats [today|week|month]", "Số liệu"),
        new("team", Role.Admin, Where.Team, "/team [add|remove|skills]", "Tổ hỗ trợ"),
        new("admin", Role.Admin, Where.Team, "/admin add|remove <id>", "Quản trị viên"),
        new("export", Role.Admin, Where.Team, "/export [YYYY-MM-DD] [YYYY-MM-DD]", "Xuất CSV"),
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
