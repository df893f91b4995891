using System.Globalization;
using HelpBot.Channels.ZaloOa;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>
/// The real HelpBot host with the Zalo OA channel against <see cref="FakeZaloOa"/>, and the staff chat on Telegram
/// (<c>HelpBot:Staff:Channel=telegram</c>) against the fake Bot API: citizens on Zalo, the team on Telegram.
/// </summary>
public sealed class ZaloOaDesk : IAsyncDisposable
{
    public const string Citizen = "2468458835296197922";
    public const string OtherCitizen = "5512345678901234567";
    public const string Group = "f414c8f76fa586fbdfb4";
    public const long Lan = 301;

    private HttpClient? _http;

    private ZaloOaDesk(FakeZaloOa oa, HelpBotHarness h, string firstRefreshToken)
    {
        Oa = oa;
        H = h;
        FirstRefreshToken = firstRefreshToken;
    }

    public FakeZaloOa Oa { get; }
    public HelpBotHarness H { get; }
    public string FirstRefreshToken { get; }
    public HttpClient Http => _http ??= new HttpClient { BaseAddress = new Uri(H.App!.Urls.First()) };

    public static async Task<ZaloOaDesk> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool waitForToken = true)
    {
        var oa = await FakeZaloOa.StartAsync();
        var first = oa.Authorize();
        var h = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Zalo:OA:AppId"] = FakeZaloOa.AppId;
            s["HelpBot:Zalo:OA:SecretKey"] = FakeZaloOa.SecretKey;
            s["HelpBot:Zalo:OA:AppSecret"] = FakeZaloOa.AppSecret;
            s["HelpBot:Zalo:OA:ApiBaseUrl"] = oa.BaseUrl;
            s["HelpBot:Zalo:OA:OAuthBaseUrl"] = oa.BaseUrl;
            s["HelpBot:Zalo:OA:RefreshToken"] = first;
            s["HelpBot:Zalo:OA:SupportGroupIds:0"] = Group;
            s["HelpBot:Zalo:OA:Limits:GlobalPerSecond"] = "0";
            s["HelpBot:Staff:Channel"] = "telegram";
            s["HelpBot:Staff:ChatId"] = HelpBotHarness.StaffChat.ToString(CultureInfo.InvariantCulture);
            configure?.Invoke(s);
        }, startHost: false);
        oa.Clock = h.Clock;
        var desk = new ZaloOaDesk(oa, h, first);
        await desk.StartHostAsync(waitForToken);
        return desk;
    }

    public async Task StartHostAsync(bool waitForToken = true)
    {
        _http?.Dispose();
        _http = null;
        await H.StartHostAsync();
        if (waitForToken)
        {
            await HelpBotHarness.WaitUntilAsync("the OA has an access token", () => Task.FromResult(Tokens.Status.Health == ZaloOaTokenHealth.Ok));
        }
    }

    public async Task RestartAsync(bool waitForToken = true)
    {
        await H.StopHostAsync();
        await StartHostAsync(waitForToken);
    }

    public ZaloOaTokens Tokens => H.Service<ZaloOaTokens>();

    /// <summary>Posts a signed event, as Zalo does; the 200 must mean "stored".</summary>
    public async Task<HttpResponseMessage> PostAsync(string body, string? signature = "sign") =>
        await FakeZaloOa.PostWebhookAsync(Http, body, signature);

    public async Task<string> AskAsync(string userId, string text, string? quote = null)
    {
        if (HelpBot.Inbox.TextChoices.NumberOf(text) is not null)
        {
            // A person answers a numbered choice after seeing it; the bot records the offer once it is delivered.
            await HelpBotHarness.WaitUntilAsync("the choices are offered to the person", async () =>
                await H.ScalarAsync("SELECT count(*) FROM text_choices WHERE user_id = @userId", new { userId }) > 0);
        }
        var msgId = Oa.NewMsgId();
        var response = await PostAsync(Oa.UserSends(userId, "text", text, msgId, quote));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return msgId;
    }

    public Task<FakeOaRequest> SentToUserAsync(string userId, string contains) =>
        Oa.WaitForAsync(r => r.IsCs && r.Succeeded && r.UserId == userId && (r.Text?.Contains(contains, StringComparison.Ordinal) ?? false));

    public void AssertNoSecretLogged()
    {
        var secrets = Oa.Secrets.Append(H.Api.Token).ToList();
        var leaks = H.Logs.Lines.Where(line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, $"Secrets in log lines:\n{string.Join('\n', leaks)}");
        Assert.NotEmpty(H.Logs.Lines);
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await H.DisposeAsync();
        await Oa.DisposeAsync();
    }
}
