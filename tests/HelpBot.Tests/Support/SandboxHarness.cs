using System.Net.Http.Json;
using System.Text.Json;
using HelpBot.Channels.Sandbox;
using HelpBot.Hosting;
using Microsoft.AspNetCore.Builder;

namespace HelpBot.Tests.Support;

/// <summary>The real host in sandbox mode on a free loopback port, with its own SQLite file.</summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    private SandboxHarness(WebApplication app, TempDatabase db)
    {
        App = app;
        Db = db;
        BaseUrl = app.Urls.First();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public WebApplication App { get; }
    public TempDatabase Db { get; }
    public string BaseUrl { get; }
    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync()
    {
        var db = new TempDatabase();
        var app = HelpBotHost.Build(["--sandbox", "--HelpBot:Sandbox:Urls=http://127.0.0.1:0", $"--HelpBot:Sandbox:ConnectionString={db.ConnectionString}"]);
        await app.StartAsync();
        return new SandboxHarness(app, db);
    }

    public async Task<SandboxMessage> PostAsync(string chat, string userId, string userName, string? text, long? replyTo = null, string kind = "text")
    {
        var response = await Http.PostAsJsonAsync("/sandbox/api/messages", new SandboxPost(chat, userId, userName, text, replyTo, kind), JsonSerializerOptions.Web);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SandboxMessage>(JsonSerializerOptions.Web))!;
    }

    public async Task PressAsync(SandboxMessage message, string userId, string userName, string data)
    {
        var response = await Http.PostAsJsonAsync("/sandbox/api/buttons", new SandboxPress(message.ChatId, message.Id, userId, userName, data), JsonSerializerOptions.Web);
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<SandboxMessage>> ChatAsync(string chat)
    {
        var state = await Http.GetFromJsonAsync<JsonElement>("/sandbox/api/state");
        return state.GetProperty("chats").TryGetProperty(chat, out var messages)
            ? messages.Deserialize<List<SandboxMessage>>(JsonSerializerOptions.Web)!
            : [];
    }

    /// <summary>The bot's message in <paramref name="chat"/> that satisfies <paramref name="match"/>, once it is there (bounded).</summary>
    public async Task<SandboxMessage> BotSaysAsync(string chat, Func<SandboxMessage, bool> match)
    {
        SandboxMessage? found = null;
        await HelpBotHarness.WaitUntilAsync($"the bot says it in {chat}", async () =>
            (found = (await ChatAsync(chat)).LastOrDefault(m => m.IsBot && match(m))) is not null);
        return found!;
    }

    public Task<SandboxMessage> BotSaysAsync(string chat, string contains) =>
        BotSaysAsync(chat, m => m.Text?.Contains(contains, StringComparison.Ordinal) ?? false);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Db.Dispose();
    }
}
