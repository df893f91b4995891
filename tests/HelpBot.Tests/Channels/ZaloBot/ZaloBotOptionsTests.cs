using HelpBot.Hosting;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace HelpBot.Tests.Channels.ZaloBot;

public sealed class ZaloBotOptionsTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["HelpBot:Zalo:Bot:Token"] = "1459232241454765289:s3cr3t-t0k",
        ["HelpBot:Zalo:Bot:WebhookUrl"] = "https://helpdesk.example.vn/webhooks/zalo-bot",
        ["HelpBot:Zalo:Bot:WebhookSecret"] = "a-long-enough_secret",
        ["HelpBot:Zalo:Bot:StaffChatId"] = "5f2e9d8c7b6a59483726",
        ["HelpBot:Http:Urls"] = "http://127.0.0.1:0",
        ["ConnectionStrings:HelpBot"] = "Data Source=:memory:",
    };

    [Theory]
    [InlineData("HelpBot:Zalo:Bot:Token", "", "HelpBot:Zalo:Bot:Token is not set")]
    [InlineData("HelpBot:Zalo:Bot:Token", "no colon here", "HelpBot:Zalo:Bot:Token is not a Zalo bot token")]
    [InlineData("HelpBot:Zalo:Bot:ApiBaseUrl", "bot-api.zaloplatforms.com", "HelpBot:Zalo:Bot:ApiBaseUrl must be an http(s) URL")]
    [InlineData("HelpBot:Zalo:Bot:WebhookUrl", null, "HelpBot:Zalo:Bot:WebhookUrl must be the public https address ending in /webhooks/zalo-bot")]
    [InlineData("HelpBot:Zalo:Bot:WebhookUrl", "http://helpdesk.example.vn/webhooks/zalo-bot", "HelpBot:Zalo:Bot:WebhookUrl must be")]
    [InlineData("HelpBot:Zalo:Bot:WebhookUrl", "https://helpdesk.example.vn/webhooks/zalo", "HelpBot:Zalo:Bot:WebhookUrl must be")]
    [InlineData("HelpBot:Zalo:Bot:WebhookSecret", "short", "HelpBot:Zalo:Bot:WebhookSecret must be 8-256 characters")]
    [InlineData("HelpBot:Zalo:Bot:WebhookSecret", "has spaces in it", "HelpBot:Zalo:Bot:WebhookSecret must be 8-256 characters")]
    [InlineData("HelpBot:Zalo:Bot:SupportChatIds:0", "5f2e9d8c7b6a59483726", "HelpBot:Zalo:Bot:SupportChatIds must not contain the staff chat")]
    [InlineData("HelpBot:Zalo:Bot:Limits:PerChatPerSecond", "-1", "HelpBot:Zalo:Bot:Limits values must be 0 (unlimited) or more")]
    [InlineData("HelpBot:Zalo:Bot:PollTimeoutSeconds", "0", "HelpBot:Zalo:Bot:PollTimeoutSeconds must be between 1 and 60")]
    [InlineData("HelpBot:Zalo:Bot:Mode", "Push", "HelpBot:Zalo:Bot:Mode must be Webhook or Polling")]
    [InlineData("HelpBot:Zalo:Bot:StaffChatId", null, "No staff chat is set")]
    public void A_missing_or_invalid_setting_stops_start_up_with_one_line_naming_the_key(string key, string? value, string message)
    {
        var settings = Valid();
        settings[key] = value;
        var error = Assert.Throws<OptionsValidationException>(() => HelpBotHost.Build(HelpBotHarness.ToArgs(settings)));
        var line = Assert.Single(error.Failures);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("s3cr3t-t0k", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_needs_neither_a_webhook_address_nor_a_secret()
    {
        var settings = Valid();
        settings["HelpBot:Zalo:Bot:Mode"] = "Polling";
        settings["HelpBot:Zalo:Bot:WebhookUrl"] = null;
        settings["HelpBot:Zalo:Bot:WebhookSecret"] = null;
        await using var app = HelpBotHost.Build(HelpBotHarness.ToArgs(settings));
        Assert.NotNull(app);
    }

    [Fact]
    public void Defaults_are_the_documented_host_webhook_mode_and_conservative_limits()
    {
        var o = new HelpBot.Channels.ZaloBot.ZaloBotOptions();
        Assert.Equal("https://bot-api.zaloplatforms.com", o.ApiBaseUrl);
        Assert.Equal(HelpBot.Channels.ZaloBot.ZaloBotMode.Webhook, o.Mode);
        Assert.Equal((10, 1, 20), (o.Limits.GlobalPerSecond, o.Limits.PerChatPerSecond, o.Limits.PerGroupPerMinute));
    }
}
