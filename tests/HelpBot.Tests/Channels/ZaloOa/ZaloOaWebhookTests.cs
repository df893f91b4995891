using System.Net;
using HelpBot.Tests.Fakes;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>/webhooks/zalo-oa through the real host: signatures, replays, and events that are not questions.</summary>
public sealed class ZaloOaWebhookTests : IAsyncLifetime
{
    private ZaloOaDesk _d = null!;

    public async Task InitializeAsync() => _d = await ZaloOaDesk.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    public static TheoryData<string> WrongSignatures => new()
    {
        "none",
        "",
        "mac=",
        "mac=0000000000000000000000000000000000000000000000000000000000000000",
        "other-secret",
        "other-body",
        "sha256-without-prefix",
    };

    [Theory]
    [MemberData(nameof(WrongSignatures))]
    public async Task A_wrong_or_missing_signature_is_refused_with_401_and_stores_nothing(string kind)
    {
        var body = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi làm căn cước ở đâu ạ?");
        var signature = kind switch
        {
            "none" => null,
            "other-secret" => FakeZaloOa.Sign(body, "not-the-oa-secret"),
            "other-body" => FakeZaloOa.Sign(body.Replace("căn cước", "sổ đỏ", StringComparison.Ordinal)),
            "sha256-without-prefix" => FakeZaloOa.Sign(body)["mac=".Length..],
            _ => kind,
        };
        var response = await _d.PostAsync(body, signature);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task The_signature_is_accepted_in_upper_case_hex_too()
    {
        var body = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi làm căn cước ở đâu ạ?");
        var response = await _d.PostAsync(body, "mac=" + FakeZaloOa.Sign(body)["mac=".Length..].ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_replayed_webhook_is_processed_once()
    {
        var body = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi đăng ký tạm trú cần gì ạ?");
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(body)).StatusCode);
        await _d.SentToUserAsync(ZaloOaDesk.Citizen, "câu hỏi #1");
        await _d.H.CardAsync(1);
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(body)).StatusCode);
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'zalo-oa'"));
        Assert.Single(_d.Oa.Sends, r => r.Text?.Contains("câu hỏi #", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public async Task Echoes_follows_and_events_that_cannot_be_handled_are_acknowledged_and_open_nothing()
    {
        var echo = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Dạ, tổ hỗ trợ đã ghi nhận").Replace("user_send_text", "oa_send_text", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(echo)).StatusCode);
        var follow = $$"""{"oa_id":"{{FakeZaloOa.OaId}}","follower":{"id":"{{ZaloOaDesk.Citizen}}"},"event_name":"follow","source":"oa_profile","app_id":"{{FakeZaloOa.AppId}}","timestamp":"1796000000000"}""";
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(follow)).StatusCode);
        var noMsgId = $$"""{"app_id":"{{FakeZaloOa.AppId}}","sender":{"id":"1"},"recipient":{"id":"2"},"event_name":"user_send_text","message":{"text":"x"},"timestamp":"1796000000000"}""";
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(noMsgId)).StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_cannot_be_verified_and_is_refused_with_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _d.PostAsync("{not json", signature: "mac=00")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _d.PostAsync("{not json")).StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Contains(_d.H.Logs.Lines, l => l.Contains("a body that is not JSON", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_too_large_to_be_Zalos_is_refused_unread_declared_or_chunked(bool chunked)
    {
        var padding = new string(' ', 300 * 1024);
        var body = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi làm căn cước ở đâu ạ?" + padding);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-oa")
        {
            Content = chunked
                ? new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body))) // no length: sent chunked
                : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-ZEvent-Signature", FakeZaloOa.Sign(body));
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        var response = await _d.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
    }

    [Fact]
    public async Task With_the_OA_id_set_a_message_to_another_OA_of_the_same_app_is_not_a_question()
    {
        await _d.DisposeAsync();
        _d = await ZaloOaDesk.StartAsync(s => s["HelpBot:Zalo:OA:OaId"] = FakeZaloOa.OaId);
        var other = _d.Oa.UserSends(ZaloOaDesk.Citizen, "text", "Cho hỏi làm căn cước ở đâu ạ?")
            .Replace($"\"{FakeZaloOa.OaId}\"", "\"999999999999999999\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(other)).StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Contains(_d.H.Logs.Lines, l => l.Contains("to another OA than HelpBot:Zalo:OA:OaId", StringComparison.Ordinal));

        await _d.AskAsync(ZaloOaDesk.Citizen, "Cho hỏi làm căn cước ở đâu ạ?");
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_group_the_OA_does_not_serve_is_ignored()
    {
        var body = _d.Oa.UserSendsInGroup("unknown-group-1", ZaloOaDesk.OtherCitizen, "text", "Cho hỏi làm sổ đỏ ở đâu ạ?");
        Assert.Equal(HttpStatusCode.OK, (await _d.PostAsync(body)).StatusCode);
        Assert.Equal(0, await _d.H.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(1, await _d.H.ScalarAsync("SELECT count(*) FROM inbox WHERE outcome = 'ignored'"));
    }
}
