using System.Reflection;
using HelpBot.Text;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Text;

public sealed class TextsTests
{
    [Fact]
    public void The_english_resource_says_everything_the_vietnamese_one_does()
    {
        var missing = typeof(Texts).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is MethodInfo { IsVirtual: true, IsSpecialName: false } || m is PropertyInfo { GetMethod.IsVirtual: true })
            .Where(m => m switch
            {
                MethodInfo method => typeof(EnglishTexts).GetMethod(method.Name, method.GetParameters().Select(p => p.ParameterType).ToArray())!.DeclaringType != typeof(EnglishTexts),
                PropertyInfo property => typeof(EnglishTexts).GetProperty(property.Name)!.GetMethod!.DeclaringType != typeof(EnglishTexts),
                _ => false,
            })
            .Select(m => m.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"EnglishTexts does not override: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Vietnamese_texts_for_citizens_are_polite_and_never_say_ban()
    {
        var t = new Texts();
        foreach (var text in new[] { t.AckInGroup(12), t.AckInPrivate(12), t.AskWhatIsNeeded, t.Welcome, t.SmallTalkReply, t.YouAreWelcome,
                     t.StaffOnly, t.UnknownCommandForCitizen, t.SomethingWentWrong, t.EmptyMessage, t.WillLookAgain(3), t.ThanksForFeedback(3) })
        {
            Assert.StartsWith("Dạ,", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" bạn", text, StringComparison.Ordinal);
            Assert.True(text.Split(". ").Length <= 3, text);
        }
    }

    [Theory]
    [InlineData(45, "45 giây", "45 seconds")]
    [InlineData(60 * 61, "1 giờ 1 phút", "1 hour 1 minute")]
    [InlineData(60 * 60 * 26, "1 ngày 2 giờ", "1 day 2 hours")]
    public void Durations_read_naturally_in_each_language(int seconds, string vietnamese, string english)
    {
        Assert.Equal(vietnamese, new Texts().Duration(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(english, new EnglishTexts().Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task With_language_en_the_whole_desk_speaks_english()
    {
        await using var h = await HelpBotHarness.StartAsync(s => s["HelpBot:Language"] = "en");
        h.WritePrivately(501, "Mrs Tu", "How do I register my temporary residence?");
        var ack = await h.SentToAsync(501, "question #1");
        Assert.DoesNotContain("Dạ", ack.Text, StringComparison.Ordinal);
        var card = await h.Api.WaitForRequestAsync(r => r.Method == "sendMessage" && r.ChatId == HelpBotHarness.StaffChat);
        Assert.Contains("Ticket #1", card.Text, StringComparison.Ordinal);
        Assert.Equal("Claim", Assert.Single(card.InlineButtons).Text);
        var menu = await h.Api.WaitForRequestAsync(r => r.Method == "setMyCommands");
        Assert.Contains("Ask a question", menu.Body["commands"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
