using System.Net;
using System.Net.Http.Json;
using Dapper;
using HelpBot.Channels.Sandbox;
using HelpBot.Hosting;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HelpBot.Tests.Channels.Sandbox;

/// <summary>The sandbox through the real host: the same inbox, machines, store and outbox as production.</summary>
public sealed class SandboxFlowTests : IAsyncLifetime
{
    private SandboxHarness _s = null!;

    public async Task InitializeAsync() => _s = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task A_question_typed_in_the_sandbox_is_carded_claimed_answered_counted_and_exported()
    {
        var question = await _s.PostAsync(SandboxChats.Group, "c-batu", "Bà Tư", "Cho hỏi đăng ký tạm trú online thế nào ạ?");
        var ack = await _s.BotSaysAsync(SandboxChats.Group, "câu hỏi #1");
        Assert.Equal(question.Id, ack.ReplyTo);

        var card = await _s.BotSaysAsync(SandboxChats.Staff, "Phiếu #1 ");
        Assert.Contains(card.Buttons!.SelectMany(r => r), b => b.Data == "claim:1");
        await _s.PressAsync(card, "t-lan", "Lan", "claim:1");
        await _s.BotSaysAsync(SandboxChats.Staff, m => m.Id == card.Id && m.Text!.Contains("Đang xử lý · Lan", StringComparison.Ordinal));

        await _s.PostAsync(SandboxChats.Staff, "t-lan", "Lan", "Dạ, bác đăng ký trên ứng dụng VNeID ạ.", replyTo: card.Id);
        var answer = await _s.BotSaysAsync(SandboxChats.Group, "trên ứng dụng VNeID");
        Assert.Equal(question.Id, answer.ReplyTo);
        await _s.PressAsync(answer, "c-batu", "Bà Tư", "solved:1");
        await _s.BotSaysAsync(SandboxChats.Staff, m => m.Id == card.Id && m.Text!.Contains("Đã giải quyết", StringComparison.Ordinal));

        var admin = SandboxChats.Private("admin");
        await _s.PostAsync(admin, "admin", "Chủ tịch xã", "/stats today");
        var stats = await _s.BotSaysAsync(admin, "Số liệu hôm nay");
        Assert.Contains("Tiếp nhận: 1", stats.Text, StringComparison.Ordinal);
        Assert.Contains("Đã giải quyết: 1", stats.Text, StringComparison.Ordinal);

        await _s.PostAsync(admin, "admin", "Chủ tịch xã", "/export");
        var file = await _s.BotSaysAsync(admin, m => m.Kind == "document");
        var csv = await _s.Http.GetStringAsync($"/sandbox/api/files/{file.Id}");
        var row = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
        Assert.StartsWith("1,sandbox,", row, StringComparison.Ordinal);
        Assert.Contains(",Resolved,Lan,", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_from_the_page_is_stored_as_typed_and_handled_like_any_other_message()
    {
        const string hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> cho hỏi?";
        await _s.PostAsync(SandboxChats.Group, "c-x", "<b>Kẻ lạ</b>", hostile);
        var card = await _s.BotSaysAsync(SandboxChats.Staff, "Phiếu #1 ");
        Assert.Contains("<script>alert('x')</script>", card.Text, StringComparison.Ordinal);
        Assert.Contains("<b>Kẻ lạ</b>", card.Text, StringComparison.Ordinal);

        var huge = "Cho hỏi " + new string('x', 12_000);
        var stored = await _s.PostAsync(SandboxChats.Private("c-y"), "c-y", "Chị Y", huge);
        Assert.Equal(SandboxChannel.MaxTextLength, stored.Text!.Length);
        await _s.BotSaysAsync(SandboxChats.Staff, "Phiếu #2 ");

        await _s.PostAsync(SandboxChats.Private("c-z"), "c-z", "Anh Z", "");
        await _s.BotSaysAsync(SandboxChats.Private("c-z"), "chưa có nội dung");
        await _s.PostAsync(SandboxChats.Group, "c-w", "Anh W", "   ");

        var refused = await _s.Http.PostAsJsonAsync("/sandbox/api/messages", new SandboxPost("dm:someone-else", "c-z", "Anh Z", "hi"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var nameless = await _s.Http.PostAsJsonAsync("/sandbox/api/messages", new SandboxPost(SandboxChats.Group, "c-z", "", "hi"));
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        var asBot = await _s.Http.PostAsJsonAsync("/sandbox/api/messages", new SandboxPost(SandboxChats.Group, "bot", "HelpBot", "hi"));
        Assert.Equal(HttpStatusCode.BadRequest, asBot.StatusCode);

        await using var connection = await _s.Db.Database.OpenAsync();
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task The_page_is_served_in_vietnamese_on_loopback()
    {
        var html = await _s.Http.GetStringAsync("/");
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", _s.BaseUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_updates_stream_new_messages_as_server_sent_events()
    {
        using var stream = await _s.Http.GetStreamAsync("/sandbox/api/events");
        using var reader = new StreamReader(stream);
        Assert.Equal(": connected", await reader.ReadLineAsync());
        await _s.PostAsync(SandboxChats.Group, "c-batu", "Bà Tư", "Xin hỏi làm sổ đỏ mất bao lâu?");
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(line!["data: ".Length..]);
        Assert.Equal("message", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("Xin hỏi làm sổ đỏ mất bao lâu?", json.RootElement.GetProperty("message").GetProperty("text").GetString());
    }
}

public sealed class SandboxModeTests
{
    private static HostMode Mode(params (string Key, string Value)[] settings) =>
        HostMode.From([], new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void With_no_chat_platform_configured_HelpBot_runs_the_sandbox() => Assert.True(Mode().Sandbox);

    [Fact]
    public void A_configured_platform_runs_for_real_and_a_half_configured_one_is_not_hidden_behind_the_sandbox()
    {
        Assert.False(Mode(("HelpBot:Telegram:BotToken", "1:x")).Sandbox);
        Assert.False(Mode(("HelpBot:Telegram:StaffChatId", "-100")).Sandbox);
        Assert.True(HostMode.From(["--sandbox", "--seed", "demo"], new ConfigurationBuilder().Build()) is { Sandbox: true, Seed: "demo" });
    }

    [Fact]
    public void Each_configured_platform_runs_and_the_example_files_empty_values_configure_none()
    {
        Assert.True(Mode(("HelpBot:Telegram:StaffChatId", "0"), ("HelpBot:Telegram:BotToken", ""), ("HelpBot:Zalo:Bot:Token", " ")).Sandbox);
        var both = Mode(("HelpBot:Zalo:Bot:Token", "123:abc"), ("HelpBot:Zalo:OA:AppId", "42"), ("HelpBot:Telegram:StaffChatId", "-100"));
        Assert.Equal(["telegram", "zalo-bot", "zalo-oa"], both.Platforms.Order());
        Assert.True(both.Runs(HostMode.ZaloOa));
        Assert.False(Mode(("HelpBot:Zalo:OA:RefreshToken", "r")) is { Sandbox: true });
        Assert.False(Mode(("HelpBot:Zalo:Bot:Token", "t")).Runs(HostMode.Telegram));
        Assert.False(HostMode.From(["--sandbox"], new ConfigurationBuilder().AddInMemoryCollection([new("HelpBot:Zalo:Bot:Token", "t")]).Build()).Runs(HostMode.ZaloBot));
    }

    [Fact]
    public async Task The_sandbox_never_writes_to_the_production_database()
    {
        using var production = new TempDatabase();
        using var sandbox = new TempDatabase();
        await using var app = HelpBotHost.Build([
            "--sandbox", "--HelpBot:Sandbox:Urls=http://127.0.0.1:0",
            $"--ConnectionStrings:HelpBot={production.ConnectionString}",
            $"--HelpBot:Sandbox:ConnectionString={sandbox.ConnectionString}"]);
        await app.StartAsync();
        await app.StopAsync();
        Assert.False(File.Exists(production.Path));
        Assert.True(File.Exists(sandbox.Path));
        Assert.Equal(sandbox.ConnectionString, app.Services.GetRequiredService<HelpBot.Storage.Database>().DataSource is var ds && ds == sandbox.Path ? sandbox.ConnectionString : ds);
    }
}
