using HelpBot.Hosting;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace HelpBot.Tests.Hosting;

public sealed class ConfigurationTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["HelpBot:Telegram:BotToken"] = "123:ABC",
        ["HelpBot:Telegram:StaffChatId"] = "-100",
        ["HelpBot:Http:Urls"] = "http://127.0.0.1:0",
        ["ConnectionStrings:HelpBot"] = "Data Source=:memory:",
    };

    [Theory]
    [InlineData("HelpBot:Telegram:BotToken", "", "HelpBot:Telegram:BotToken is not set")]
    [InlineData("HelpBot:Telegram:BotToken", "not a token", "HelpBot:Telegram:BotToken is not a bot token")]
    [InlineData("HelpBot:Telegram:StaffChatId", null, "HelpBot:Telegram:StaffChatId is not set")]
    [InlineData("HelpBot:Telegram:StaffChatId", "nhóm cán bộ", "at 'HelpBot:Telegram:StaffChatId'")]
    [InlineData("HelpBot:Telegram:ApiBaseUrl", "ftp://x", "HelpBot:Telegram:ApiBaseUrl must be an http(s) URL")]
    [InlineData("HelpBot:Admins:0", "123", "HelpBot:Admins has \"123\"")]
    [InlineData("HelpBot:Tickets:AutoResolveAfter", "-00:05:00", "HelpBot:Tickets:AutoResolveAfter must be a positive duration")]
    [InlineData("HelpBot:Language", "fr", "HelpBot:Language is \"fr\"")]
    public void A_missing_or_invalid_setting_stops_start_up_with_a_line_naming_the_key(string key, string? value, string message)
    {
        var settings = Valid();
        settings[key] = value;
        var error = Assert.Throws<OptionsValidationException>(() => HelpBotHost.Build(HelpBotHarness.ToArgs(settings)));
        var line = Assert.Single(error.Failures);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void The_token_never_appears_in_a_validation_message()
    {
        var settings = Valid();
        settings["HelpBot:Telegram:BotToken"] = "123 secret-token";
        var error = Assert.Throws<OptionsValidationException>(() => HelpBotHost.Build(HelpBotHarness.ToArgs(settings)));
        Assert.DoesNotContain("secret-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_build_a_host()
    {
        await using var app = HelpBotHost.Build(HelpBotHarness.ToArgs(Valid()));
        Assert.NotNull(app);
    }
}
