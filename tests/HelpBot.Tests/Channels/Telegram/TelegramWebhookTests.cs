using System.Net;
using System.Text;
using HelpBot.Channels.Telegram;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.Telegram;

/// <summary>Webhook mode through the real host: Telegram posts updates to /webhooks/telegram.</summary>
public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private const string Secret = "s3cret_Token-42";
    private HelpBotHarness _h = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _h = await HelpBotHarness.StartAsync(s =>
        {
            s["HelpBot:Telegram:Mode"] = "Webhook";
            s["HelpBot:Telegram:WebhookUrl"] = "https://helpdesk.example.vn/webhooks/telegram";
            s["HelpBot:Telegram:WebhookSecret"] = Secret;
        }, startHost: false);
        await _h.StartHostAsync(waitForPolling: false);
        await _h.Api.WaitForRequestAsync(r => r.Method == "setWebhook");
        await HelpBotHarness.WaitUntilAsync("the bot knows who it is", () =>
            Task.FromResult(_h.Service<TelegramBot>().Identity is not null));
        _http = new HttpClient { BaseAddress = new Uri(_h.App!.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _h.DisposeAsync();
    }

    private static string Question(int updateId, int messageId, string text) =>
        $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{messageId}}},"date":1796000000,"chat":{"id":501,"type":"private","first_name":"Bà Tư"},"from":{"id":501,"is_bot":false,"first_name":"Bà Tư"},"text":"{{{text}}}"}}""";

    private Task<HttpResponseMessage> PostAsync(string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add(TelegramWebhook.SecretHeader, secret);
        }
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task The_webhook_is_registered_with_its_secret_and_without_dropping_pending_updates()
    {
        var call = await _h.Api.WaitForRequestAsync(r => r.Method == "setWebhook");
        Assert.Equal("https://helpdesk.example.vn/webhooks/telegram", call.GetString("url"));
        Assert.Equal(Secret, call.GetString("secret_token"));
        Assert.NotEqual("true", call.Body["drop_pending_updates"]?.ToJsonString());
        Assert.DoesNotContain(_h.Api.Requests, r => r.Method == "getUpdates" && r.Sequence > call.Sequence);
    }

    [Fact]
    public async Task An_update_is_committed_before_the_200_and_a_replay_is_processed_once()
    {
        var response = await PostAsync(Question(1, 10, "Cho hỏi đăng ký khai sinh ở đâu?"), Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets")); // already stored when the 200 arrived

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Question(1, 10, "Cho hỏi đăng ký khai sinh ở đâu?"), Secret)).StatusCode);
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        await _h.CardAsync(1);
        await _h.SentToAsync(501, "câu hỏi #1");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s3cret_Token-43")]
    [InlineData("S3CRET_TOKEN-42")]
    public async Task A_wrong_or_missing_secret_is_refused_and_stores_nothing(string? secret)
    {
        var response = await PostAsync(Question(2, 11, "Cho hỏi làm căn cước ở đâu?"), secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_malformed_body_is_acknowledged_and_skipped()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("{not json", Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("""{"update_id":5,"message":{"message_id":"x"}}""", Secret)).StatusCode);
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
    }
}
