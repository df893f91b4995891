using HelpBot.Inbox;

namespace HelpBot.Channels.Sandbox;

public sealed class SandboxChatDirectory : IChatDirectory
{
    public StaffChat Staff { get; } = new(SandboxChats.Channel, SandboxChats.Staff);

    public bool IsStaffChat(string channel, string chatId) => channel == SandboxChats.Channel && chatId == SandboxChats.Staff;

    public bool IsSupportGroup(string channel, string chatId) => channel == SandboxChats.Channel && chatId == SandboxChats.Group;
}
