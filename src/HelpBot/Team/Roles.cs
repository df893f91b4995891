using HelpBot.Storage;
using Microsoft.Extensions.Options;

namespace HelpBot.Team;

public enum Role { Citizen = 0, Member = 1, Admin = 2 }

/// <summary>Who someone is to the help desk, by (channel, user id): never by username, which people change.</summary>
public sealed class Roles(IOptionsMonitor<DeskOptions> options)
{
    public bool IsConfiguredAdmin(string channel, string userId) =>
        options.CurrentValue.Admins.Any(a => string.Equals(a.Trim(), $"{channel}:{userId}", StringComparison.OrdinalIgnoreCase));

    public async Task<Role> ResolveAsync(DeskSession session, string channel, string userId) =>
        IsConfiguredAdmin(channel, userId) ? Role.Admin : Of(channel, userId, await session.GetMemberAsync(channel, userId));

    /// <summary>The role of someone whose roster row (null: none) has just been read.</summary>
    public Role Of(string channel, string userId, TeamMember? member) =>
        IsConfiguredAdmin(channel, userId) ? Role.Admin
        : member switch
        {
            null => Role.Citizen,
            { IsAdmin: true } => Role.Admin,
            _ => Role.Member,
        };
}
