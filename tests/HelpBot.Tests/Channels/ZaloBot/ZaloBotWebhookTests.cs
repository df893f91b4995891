using System.Net;
using HelpBot.Channels.ZaloBot;
using HelpBot.Tests.Fakes;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>Webhook mode through the real host: Zalo posts updates to /webhooks/zalo-bot.</summary>
public sealed class ZaloBotWebhookTests : IAsyncLifetime
{
    private const string BaTu = "a0c01dfe32b3dbed82a2";
    private ZaloBotTestHost _z = null!;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync();

    public async Task DisposeAsync() => await _z.DisposeAsync();

    private ZaloUserMessage Question(string text = "Cho hỏi đăng ký khai sinh ở đâu ạ?") => _z.WritePrivately(BaTu, "Bà Tư", text);

    [Fact]
    public void The_webhook_is_registered_at_start_with_the_public_address_and_the_secret()
    {
        var call = Assert.Single(_z.Zalo.Calls, c => c.Method == "setWebhook");
        Assert.Equal(ZaloBotTestHost.PublicUrl, call.GetString("url"));
        Assert.Equal(ZaloBotTestHost.Secret, call.GetString("secret_token"));
        Assert.True(call.Ok);
        Assert.True(_z.Zalo.Calls.Single(c => c.Method == "getMe").Sequence < call.Sequence);
        Assert.DoesNotContain(_z.Zalo.Calls, c => c.Method is "getUpdates" or "deleteWebhook");
    }

    [Fact]
    public async Task An_update_is_committed_before_the_200_and_a_replay_is_processed_once()
    {
        var question = Question();
        await _z.DeliverAsync(question);
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM tickets")); // already stored when the 200 arrived
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM inbox WHERE event_id = @id",
            new { id = $"message.text.received:{question.MessageId}" }));

        await _z.DeliverAsync(question);
        await _z.DeliverAsync(question, wrapped: true);
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _z.InboxRowsAsync());
        await _z.Zalo.MessageToAsync(BaTu, "câu hỏi #1");
        await _z.H.SettleAsync();
        Assert.Single(_z.Zalo.Sent("sendMessage"), c => c.ChatId == BaTu);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zalo-Webhook_secret-0123456789abcdeF")]
    [InlineData("zalo-Webhook_secret-0123456789abcde")]
    public async Task A_wrong_or_missing_secret_is_refused_with_401_and_stores_nothing(string? secret)
    {
        var status = await _z.PostAsync(Question().Bare, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, await _z.InboxRowsAsync());
        Assert.Equal(0, await _z.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Contains(_z.H.Logs.Lines, l => l.Contains("Refused a Zalo Bot webhook call", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_wrapped_documented_body_and_the_bare_delivered_body_both_make_tickets()
    {
        await _z.DeliverAsync(Question("Cho hỏi làm căn cước ở đâu ạ?"), wrapped: true);
        await _z.DeliverAsync(_z.WritePrivately("b1c01dfe32b3dbed82a3", "Ông Ba", "Cho hỏi đăng ký kết hôn cần gì ạ?"), wrapped: false);
        Assert.Equal(2, await _z.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(2, await _z.InboxRowsAsync());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"ok\":true,\"result\":{\"message\":{}}}")]
    [InlineData("{\"event_name\":\"message.text.received\"}")]
    [InlineData("{\"event_name\":\"message.text.received\",\"message\":{\"message_id\":\"x\",\"chat\":{\"id\":\"c\"}}}")]
    [InlineData("{\"event_name\":42,\"message\":{}}")]
    public async Task A_malformed_body_is_answered_200_with_a_warning_and_stores_nothing(string body)
    {
        Assert.Equal(HttpStatusCode.OK, await _z.PostAsync(body));
        Assert.Equal(0, await _z.InboxRowsAsync());
        Assert.Contains(_z.H.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("malformed Zalo Bot webhook update", StringComparison.Ordinal));
        // Still working.
        await _z.DeliverAsync(Question());
        Assert.Equal(1, await _z.InboxRowsAsync());
    }

    [Fact]
    public async Task Photo_sticker_and_unsupported_events_map_to_their_kinds_and_a_photo_keeps_its_address()
    {
        await _z.DeliverAsync(Question());
        var photo = _z.Zalo.Image(BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư", "https://photo-stal-29.zdn.vn/no/jpg/a/1.jpg", caption: "Giấy tờ của tôi");
        var documented = _z.Zalo.Image(BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư", "https://photo-stal-29.zdn.vn/no/jpg/a/2.jpg", documentedField: true);
        await _z.DeliverAsync(photo);
        await _z.DeliverAsync(documented);
        await _z.DeliverAsync(_z.Zalo.Sticker(BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư"));
        await _z.DeliverAsync(_z.Zalo.Unsupported(BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư"));

        Assert.Equal(5, await _z.InboxRowsAsync());
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM media WHERE message_id = @id AND url = @url AND kind = 'Photo'",
            new { id = photo.MessageId, url = "https://photo-stal-29.zdn.vn/no/jpg/a/1.jpg" }));
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM media WHERE message_id = @id AND url LIKE '%/2.jpg'", new { id = documented.MessageId }));
        // The photos joined the open ticket and went to the staff group by address.
        await _z.Zalo.WaitForAsync(c => c.Ok && c.Method == "sendPhoto" && c.ChatId == ZaloBotTestHost.StaffGroup && c.Photo!.EndsWith("/1.jpg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_event_is_acknowledged_ignored_and_logged_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await _z.DeliverAsync(_z.Zalo.Event("message.reaction.received", BaTu, ZaloBotTestHost.Private, BaTu, "Bà Tư"));
        }
        Assert.Equal(0, await _z.InboxRowsAsync());
        Assert.Single(_z.H.Logs.Lines, l => l.Contains("unknown event message.reaction.received", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_health_check_reports_the_zalo_bot_connected()
    {
        using var http = new HttpClient { BaseAddress = _z.HelpBotUrl };
        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/healthz"));
        var zalo = health.RootElement.GetProperty("checks").GetProperty("zalo-bot");
        Assert.Equal("Healthy", zalo.GetProperty("status").GetString());
        Assert.StartsWith($"{FakeZaloBotApi.BotAccount}, Webhook", zalo.GetProperty("description").GetString(), StringComparison.Ordinal);

        _z.H.Clock.Advance(TimeSpan.FromHours(25));
        using var quiet = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/healthz"));
        Assert.Equal("Degraded", quiet.RootElement.GetProperty("checks").GetProperty("zalo-bot").GetProperty("status").GetString());
    }
}
