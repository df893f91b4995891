using HelpBot.Inbox;
using Microsoft.Extensions.Options;

namespace HelpBot.Tests.Inbox;

public sealed class ChatDirectoryTests
{
    private static readonly ChannelChats Telegram = new("telegram", ChannelFeatures.All, ["-1002"], "-1001");
    private static readonly ChannelChats ZaloBot = new("zalo-bot", new ChannelFeatures(false, false, false, false), ["g-zalo"]);

    private static ChatDirectory Directory(StaffOptions staff, params ChannelChats[] channels) =>
        new(channels, Options.Create(new DeskOptions { Staff = staff }));

    [Fact]
    public void A_single_channels_own_staff_chat_is_the_staff_chat_and_support_groups_are_per_channel()
    {
        var chats = Directory(new StaffOptions(), Telegram, ZaloBot);
        Assert.Equal(new StaffChat("telegram", "-1001"), chats.Staff);
        Assert.True(chats.IsSupportGroup("zalo-bot", "g-zalo"));
        Assert.False(chats.IsSupportGroup("telegram", "g-zalo"));
        Assert.False(chats.IsStaffChat("zalo-bot", "-1001"));
        Assert.False(chats.FeaturesOf("zalo-bot").Replies);
        Assert.True(chats.FeaturesOf("telegram").Buttons);
    }

    [Fact]
    public void HelpBot_Staff_puts_the_team_on_another_channel_than_the_citizens()
    {
        var chats = Directory(new StaffOptions { Channel = "zalo-bot", ChatId = " g-team " }, Telegram, ZaloBot);
        Assert.Equal(new StaffChat("zalo-bot", "g-team"), chats.Staff);
        Assert.True(chats.IsStaffChat("zalo-bot", "g-team"));
        Assert.False(chats.IsStaffChat("telegram", "-1001"));
    }

    [Theory]
    [InlineData(null, null, "No staff chat is set")]
    [InlineData("zalo-oa", "x", "HelpBot:Staff:Channel is \"zalo-oa\", which is not running here (running: zalo-bot)")]
    [InlineData("zalo-bot", null, "HelpBot:Staff:ChatId is not set")]
    public void Without_a_staff_chat_start_up_stops_with_one_line_naming_the_settings(string? channel, string? chatId, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Directory(new StaffOptions { Channel = channel, ChatId = chatId }, ZaloBot));
        Assert.Contains(message, Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.Equal(error.Failures.Single(), ChatDirectory.StaffProblem([ZaloBot], new StaffOptions { Channel = channel, ChatId = chatId }));
    }

    [Fact]
    public void Two_channels_naming_their_own_staff_chats_must_choose_one()
    {
        var zaloWithStaff = ZaloBot with { StaffChatId = "g-team" };
        Assert.Contains("Several channels name a staff chat", ChatDirectory.StaffProblem([Telegram, zaloWithStaff], new StaffOptions()), StringComparison.Ordinal);
        Assert.Null(ChatDirectory.StaffProblem([Telegram, zaloWithStaff], new StaffOptions { Channel = "zalo-bot", ChatId = "g-team" }));
    }
}
