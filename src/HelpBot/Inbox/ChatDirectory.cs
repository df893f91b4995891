using Microsoft.Extensions.Options;

namespace HelpBot.Inbox;

/// <summary>The response team's staff chat: where cards go and the team works.</summary>
public sealed record StaffChat(string Channel, string ChatId);

/// <summary>What a channel's messages can do. The desk words its texts for what the staff chat's channel lacks.</summary>
public sealed record ChannelFeatures(bool Replies, bool Buttons, bool Edits, bool Copies)
{
    /// <summary>The bot can send a file (an export).</summary>
    public bool Files { get; init; } = true;

    public static readonly ChannelFeatures All = new(true, true, true, true);
}

/// <summary>
/// One channel's part of the directory, registered by the channel: the public support groups it serves
/// and, when the channel's own settings name one, its staff chat.
/// </summary>
public sealed record ChannelChats(string Channel, ChannelFeatures Features, IReadOnlyCollection<string> SupportGroups, string? StaffChatId = null)
{
    /// <summary>
    /// On a channel whose groups hear only messages that mention the bot (Zalo Bot Platform): how to mention it
    /// ("@HelpBot"), once known; null where the bot hears every message.
    /// </summary>
    public Func<string?> GroupMention { get; init; } = () => null;
}

/// <summary>Which chats the help desk serves. Private chats with the bot are always served.</summary>
public interface IChatDirectory
{
    StaffChat Staff { get; }

    bool IsStaffChat(string channel, string chatId);

    bool IsSupportGroup(string channel, string chatId);

    /// <summary>What the channel's messages can do; every feature for a channel that is not running.</summary>
    ChannelFeatures FeaturesOf(string channel);

    /// <summary>The channels running in this process.</summary>
    IReadOnlyCollection<string> Channels { get; }

    /// <summary>What a message in a group must start with for the bot to hear it ("@HelpBot"); null when nothing is needed.</summary>
    string? GroupMentionOf(string channel);
}

/// <summary>
/// The chats of every running channel. The staff chat is <c>HelpBot:Staff</c> when set (it may be on
/// another channel than the citizens'), else the one staff chat a channel's own settings name.
/// </summary>
public sealed class ChatDirectory : IChatDirectory
{
    private readonly Dictionary<string, ChannelChats> _channels;
    private readonly HashSet<(string Channel, string ChatId)> _support;

    public ChatDirectory(IEnumerable<ChannelChats> channels, IOptions<DeskOptions> options)
    {
        _channels = channels.ToDictionary(c => c.Channel);
        _support = _channels.Values.SelectMany(c => c.SupportGroups.Select(g => (c.Channel, g))).ToHashSet();
        Staff = ResolveStaff(_channels.Values, options.Value.Staff) is { } staff
            ? staff
            : throw new OptionsValidationException(DeskOptions.Section, typeof(DeskOptions), [StaffProblem(_channels.Values, options.Value.Staff)!]);
    }

    public StaffChat Staff { get; }

    public IReadOnlyCollection<string> Channels => _channels.Keys;

    public bool IsStaffChat(string channel, string chatId) => channel == Staff.Channel && chatId == Staff.ChatId;

    public bool IsSupportGroup(string channel, string chatId) => _support.Contains((channel, chatId));

    public ChannelFeatures FeaturesOf(string channel) => _channels.TryGetValue(channel, out var c) ? c.Features : ChannelFeatures.All;

    public string? GroupMentionOf(string channel) => _channels.TryGetValue(channel, out var c) ? c.GroupMention() : null;

    private static StaffChat? ResolveStaff(IEnumerable<ChannelChats> channels, StaffOptions staff)
    {
        if (!string.IsNullOrWhiteSpace(staff.Channel) && string.IsNullOrWhiteSpace(staff.ChatId))
        {
            return null;
        }
        if (!string.IsNullOrWhiteSpace(staff.ChatId))
        {
            var channel = string.IsNullOrWhiteSpace(staff.Channel) ? channels.Select(c => c.Channel).SingleOrDefault() : staff.Channel;
            return channel is not null && channels.Any(c => c.Channel == channel) ? new StaffChat(channel, staff.ChatId.Trim()) : null;
        }
        var named = channels.Where(c => !string.IsNullOrWhiteSpace(c.StaffChatId)).ToList();
        return named.Count == 1 ? new StaffChat(named[0].Channel, named[0].StaffChatId!) : null;
    }

    /// <summary>Why no staff chat can be chosen, in one line naming the settings; null when one can.</summary>
    public static string? StaffProblem(IEnumerable<ChannelChats> channels, StaffOptions staff)
    {
        var running = channels.ToList();
        if (ResolveStaff(running, staff) is not null)
        {
            return null;
        }
        var names = string.Join(", ", running.Select(c => c.Channel));
        if (!string.IsNullOrWhiteSpace(staff.Channel) && string.IsNullOrWhiteSpace(staff.ChatId))
        {
            return $"HelpBot:Staff:Channel is \"{staff.Channel}\" but HelpBot:Staff:ChatId is not set: set it to the response team's group on that channel.";
        }
        if (!string.IsNullOrWhiteSpace(staff.ChatId))
        {
            return string.IsNullOrWhiteSpace(staff.Channel)
                ? $"HelpBot:Staff:Channel is not set, and several channels are running ({names}): say which one the staff chat HelpBot:Staff:ChatId is on."
                : $"HelpBot:Staff:Channel is \"{staff.Channel}\", which is not running here (running: {names}); configure that channel or correct the setting.";
        }
        var named = running.Count(c => !string.IsNullOrWhiteSpace(c.StaffChatId));
        return named == 0
            ? $"No staff chat is set: set HelpBot:Staff:ChatId to the response team's group (with HelpBot:Staff:Channel, one of {names}, when several run), or HelpBot:Telegram:StaffChatId, e.g. -1001234567890."
            : "Several channels name a staff chat (HelpBot:Telegram:StaffChatId and another): choose one with HelpBot:Staff:Channel and HelpBot:Staff:ChatId.";
    }
}
