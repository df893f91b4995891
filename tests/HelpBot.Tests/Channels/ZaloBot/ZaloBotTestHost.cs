using HelpBot.Channels.ZaloBot;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>
/// The real host with the Zalo Bot channel talking HTTP to <see cref="FakeZaloBotApi"/>, over a real SQLite
/// file and a fake clock; the staff chat is a Zalo group, or the Telegram staff chat of <see cref="HelpBotHarness"/>.
/// </summary>
public sealed class ZaloBotTestHost : IAsyncDisposable
{
    public const string Secret = "zalo-Webhook_secret-0123456789abcdef";
    public const string PublicUrl = "https://helpdesk.example.vn/webhooks/zalo-bot";
    public const string SupportGroup = "9a1c0f0e5b1d44e2a3f7";
    public const string StaffGroup = "5f2e9d8c7b6a59483726";
    public const string Private = "PRIVATE";
    public const string Group = "GROUP";

    private ZaloBotTestHost(HelpBotHarness harness, FakeZaloBotApi zalo)
    {
        H = harness;
        Zalo = zalo;
    }

    public HelpBotHarness H { get; }
    public FakeZaloBotApi Zalo { get; }
    public Uri HelpBotUrl => new(H.App!.Urls.First());

    /// <param name="staffOnTelegram">The team works in the harness's Telegram staff chat (HelpBot:Staff:Channel=telegram).</param>
    public static async Task<ZaloBotTestHost> StartAsync(bool staffOnTelegram = false, ZaloBotMode mode = ZaloBotMode.Webhook,
        Action<Dictionary<string, string?>>? configure = null)
    {
        var zalo = await FakeZaloBotApi.StartAsync();
        var harness = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Zalo:Bot:Token"] = zalo.Token;
            s["HelpBot:Zalo:Bot:ApiBaseUrl"] = zalo.BaseUrl;
            s["HelpBot:Zalo:Bot:Mode"] = mode.ToString();
            s["HelpBot:Zalo:Bot:WebhookUrl"] = PublicUrl;
            s["HelpBot:Zalo:Bot:WebhookSecret"] = Secret;
            s["HelpBot:Zalo:Bot:SupportChatIds:0"] = SupportGroup;
            s["HelpBot:Zalo:Bot:PollTimeoutSeconds"] = "2";
            s["HelpBot:Zalo:Bot:Limits:GlobalPerSecond"] = "0";
            s["HelpBot:Zalo:Bot:Limits:PerChatPerSecond"] = "0";
            s["HelpBot:Zalo:Bot:Limits:PerGroupPerMinute"] = "0";
            if (staffOnTelegram)
            {
                s["HelpBot:Staff:Channel"] = "telegram";
                s["HelpBot:Staff:ChatId"] = HelpBotHarness.StaffChat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                // Zalo only: the Telegram channel is not configured at all.
                s["HelpBot:Telegram:BotToken"] = null;
                s["HelpBot:Telegram:StaffChatId"] = null;
                s["HelpBot:Telegram:SupportChatIds:0"] = null;
                s["HelpBot:Zalo:Bot:StaffChatId"] = StaffGroup;
                s["HelpBot:Admins:0"] = "zalo-bot:admin-0001";
            }
            configure?.Invoke(s);
        }, startHost: false);
        zalo.Clock = harness.Clock;
        var host = new ZaloBotTestHost(harness, zalo);
        await harness.StartHostAsync(waitForPolling: staffOnTelegram);
        await HelpBotHarness.WaitUntilAsync("the Zalo bot knows who it is", () =>
            Task.FromResult(harness.Service<HelpBot.Channels.ZaloBot.ZaloBot>().Name is not null));
        await zalo.WaitForAsync(c => c.Method == (mode == ZaloBotMode.Webhook ? "setWebhook" : "getUpdates"));
        return host;
    }

    // ---- people ----

    public ZaloUserMessage WritePrivately(string userId, string name, string text) => Zalo.Text(userId, Private, userId, name, text);

    public ZaloUserMessage AskInGroup(string userId, string name, string text) => Zalo.Text(SupportGroup, Group, userId, name, text);

    public ZaloUserMessage InStaffGroup(string userId, string name, string text) => Zalo.Text(StaffGroup, Group, userId, name, text);

    /// <summary>Delivers by webhook (the bare body, as Zalo really sends it) and expects the 200.</summary>
    public async Task DeliverAsync(ZaloUserMessage message, bool wrapped = false)
    {
        var text = message.Update["message"]?["text"]?.GetValue<string>() ?? "";
        if (HelpBot.Inbox.TextChoices.NumberOf(text.Replace("@" + FakeZaloBotApi.BotName, "", StringComparison.Ordinal)) is not null)
        {
            // A person answers a numbered choice after seeing it; the bot records the offer once it is delivered.
            var from = message.Update["message"]?["from"]?["id"]?.GetValue<string>() ?? "";
            await HelpBotHarness.WaitUntilAsync("the choices are offered to the person", async () =>
                await H.ScalarAsync("SELECT count(*) FROM text_choices WHERE chat_id = @chat AND user_id IN (@from, '')",
                    new { chat = message.ChatId, from }) > 0);
        }
        var status = await Zalo.PostWebhookAsync(HelpBotUrl, wrapped ? message.Wrapped : message.Bare, Secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }

    public Task<System.Net.HttpStatusCode> PostAsync(string body, string? secret = Secret) => Zalo.PostWebhookAsync(HelpBotUrl, body, secret);

    public Task<long> InboxRowsAsync() => H.ScalarAsync("SELECT count(*) FROM inbox WHERE channel = 'zalo-bot'");

    public async ValueTask DisposeAsync()
    {
        await H.DisposeAsync();
        await Zalo.DisposeAsync();
    }
}
