using HelpBot.Channels.ZaloBot;

namespace HelpBot.Tests.Channels.ZaloBot;

public sealed class ZaloBotUpdateReaderTests
{
    private static readonly string[] Names = ["HelpBot Xã", "bot.HelpBotXa"];

    [Theory]
    [InlineData("@HelpBot Xã /claim 12", "/claim 12")]
    [InlineData("@helpbot xã, #12 Dạ, bác nộp ở xã ạ.", "#12 Dạ, bác nộp ở xã ạ.")]
    [InlineData("@bot.HelpBotXa cho hỏi làm căn cước?", "cho hỏi làm căn cước?")]
    [InlineData("  @HelpBot Xã: 1", "1")]
    [InlineData("@HelpBot Xãhội cho hỏi", "@HelpBot Xãhội cho hỏi")]
    [InlineData("@Lan ơi xem giúp phiếu #12", "@Lan ơi xem giúp phiếu #12")]
    [InlineData("Cho hỏi @HelpBot Xã", "Cho hỏi @HelpBot Xã")]
    public void A_leading_mention_of_the_bot_is_removed_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, ZaloBotUpdateReader.WithoutLeadingMention(text, Names));
}
