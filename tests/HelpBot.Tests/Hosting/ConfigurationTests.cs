using HelpBot.Hosting;
using Microsoft.Extensions.Configuration;
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
    [InlineData("HelpBot:Telegram:StaffChatId", null, "No staff chat is set: set HelpBot:Staff:ChatId")]
    [InlineData("HelpBot:Staff:Channel", "zalo-bot", "HelpBot:Staff:ChatId is not set")]
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
    public void A_staff_chat_on_a_channel_that_is_not_running_stops_start_up()
    {
        var settings = Valid();
        settings["HelpBot:Staff:Channel"] = "zalo-bot";
        settings["HelpBot:Staff:ChatId"] = "g-1";
        var error = Assert.Throws<OptionsValidationException>(() => HelpBotHost.Build(HelpBotHarness.ToArgs(settings)));
        Assert.Contains("HelpBot:Staff:Channel is \"zalo-bot\", which is not running here (running: telegram)", Assert.Single(error.Failures), StringComparison.Ordinal);
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
    public void A_half_configured_Zalo_OA_stops_start_up_naming_each_missing_key_and_never_the_token()
    {
        var settings = Valid();
        settings["HelpBot:Zalo:OA:AppId"] = "3608465249409039670";
        settings["HelpBot:Zalo:OA:RefreshToken"] = "secret refresh-token";
        var error = Assert.Throws<OptionsValidationException>(() => HelpBotHost.Build(HelpBotHarness.ToArgs(settings)));
        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("HelpBot:Zalo:OA:SecretKey is not set", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("HelpBot:Zalo:OA:AppSecret is not set", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("HelpBot:Zalo:OA:RefreshToken contains spaces", StringComparison.Ordinal));
        Assert.DoesNotContain("refresh-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_build_a_host()
    {
        await using var app = HelpBotHost.Build(HelpBotHarness.ToArgs(Valid()));
        Assert.NotNull(app);
    }
}

public sealed class ExampleSettingsTests
{
    private static readonly Microsoft.Extensions.Configuration.IConfiguration Example =
        new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddJsonFile(Path.Combine(HelpBot.Tests.Docs.StateMachineDocsTests.RepositoryRoot(), "appsettings.example.json"))
            .Build();

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public void The_example_settings_file_holds_every_default()
    {
        Assert.Equal(Json(new HelpBot.DeskOptions()), Json(Example.GetSection("HelpBot").Get<HelpBot.DeskOptions>()));
        var telegram = Example.GetSection("HelpBot:Telegram").Get<HelpBot.Channels.Telegram.TelegramOptions>()!;
        Assert.Equal("", telegram.BotToken); // listed, and empty: the token comes from the environment
        telegram.BotToken = null;
        Assert.Equal(Json(new HelpBot.Channels.Telegram.TelegramOptions()), Json(telegram));
        var zaloBot = Example.GetSection("HelpBot:Zalo:Bot").Get<HelpBot.Channels.ZaloBot.ZaloBotOptions>()!;
        Assert.Equal("", zaloBot.Token); // listed, and empty: the token comes from the environment
        zaloBot.Token = null;
        Assert.Equal(Json(new HelpBot.Channels.ZaloBot.ZaloBotOptions()), Json(zaloBot));
        var oa = Example.GetSection("HelpBot:Zalo:OA").Get<HelpBot.Channels.ZaloOa.ZaloOaOptions>()!;
        Assert.Equal(("", "", "", ""), (oa.AppId, oa.SecretKey, oa.AppSecret, oa.RefreshToken)); // listed, and empty: secrets come from the environment
        (oa.AppId, oa.SecretKey, oa.AppSecret, oa.RefreshToken) = (null, null, null, null);
        Assert.Equal(Json(new HelpBot.Channels.ZaloOa.ZaloOaOptions()), Json(oa));
        var sandbox = Example.GetSection("HelpBot:Sandbox").Get<HelpBot.Channels.Sandbox.SandboxOptions>()!;
        Assert.Equal((new HelpBot.Channels.Sandbox.SandboxOptions().Urls, new HelpBot.Channels.Sandbox.SandboxOptions().ConnectionString), (sandbox.Urls, sandbox.ConnectionString));
        Assert.Equal(Json(HelpBot.Categories.CategoryCatalog.Defaults()), Json(Example.GetSection("HelpBot").Get<HelpBot.Categories.CategoryOptions>()!.Categories));
        Assert.Equal("Data Source=helpbot.db", Example.GetConnectionString("HelpBot"));
        var calendar = Example.GetSection("HelpBot:Calendar").Get<HelpBot.Service.CalendarOptions>()!;
        Assert.Equal(HelpBot.Service.CalendarOptions.DefaultWeekdays, calendar.Weekdays);
        Assert.Equal(HelpBot.Service.CalendarOptions.DefaultHolidays, calendar.Holidays);
    }
}
