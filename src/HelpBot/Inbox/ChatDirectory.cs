namespace HelpBot.Inbox;

/// <summary>The response team's staff chat: where cards go and the team works.</summary>
public sealed record StaffChat(string Channel, string ChatId);

/// <summary>Which chats the help desk serves. Private chats with the bot are always served.</summary>
public interface IChatDirectory
{
    StaffChat Staff { get; }

    bool IsStaffChat(string channel, string chatId);

    bool IsSupportGroup(string channel, string chatId);
}
