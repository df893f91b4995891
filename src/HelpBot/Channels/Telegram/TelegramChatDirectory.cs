using System.Globalization;
using HelpBot.Inbox;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.Telegram;

/// <summary>The chats the desk serves on Telegram, from configuration.</summary>
public sealed class TelegramChatDirectory(IOptions<TelegramOptions> options) : IChatDirectory
{
    private readonly HashSet<string> _support = options.Value.SupportChatIds.Select(Id).ToHashSet();

    public StaffChat Staff { get; } = new(TelegramUpdateMapper.Channel, Id(options.Value.StaffChatId));

    public bool IsStaffChat(string channel, string chatId) => channel == Staff.Channel && chatId == Staff.ChatId;

    public bool IsSupportGroup(string channel, string chatId) => channel == TelegramUpdateMapper.Channel && _support.Contains(chatId);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
