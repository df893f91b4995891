namespace HelpBot.Team;

/// <summary>A member of the response team, known by (channel, user id), never by username.</summary>
public sealed class TeamMember
{
    public string Channel { get; set; } = "";
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public bool IsAdmin { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public string JoinedHow { get; set; } = "";
    /// <summary>Category codes this member answers, comma-separated.</summary>
    public string Skills { get; set; } = "";
    public bool Away { get; set; }

    public string Key => $"{Channel}:{UserId}";

    public IReadOnlyList<string> SkillCodes => Skills.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
