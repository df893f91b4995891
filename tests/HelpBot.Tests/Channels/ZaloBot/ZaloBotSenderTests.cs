using HelpBot.Channels.ZaloBot;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Tests.Support;
using HelpBot.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Tests.Channels.ZaloBot;

/// <summary>The channel's sender as the host composes it, against the fake Zalo Bot Platform.</summary>
public sealed class ZaloBotSenderTests : IAsyncLifetime
{
    private const string Chat = "a0c01dfe32b3dbed82a2";
    private static readonly IReadOnlyList<IReadOnlyList<OutboundButton>> Feedback =
        [[new OutboundButton("Đã giải quyết", "solved:1"), new OutboundButton("Chưa giải quyết", "unsolved:1")]];

    private ZaloBotTestHost _z = null!;
    private long _outboxId = 1000;

    public async Task InitializeAsync() => _z = await ZaloBotTestHost.StartAsync();

    public async Task DisposeAsync() => await _z.DisposeAsync();

    private IChannelSender Sender => _z.H.Service<IEnumerable<IChannelSender>>().Single(s => s.Channel == "zalo-bot");

    private Task<SendResult> SendAsync(OutboundMessage message, string chatKind = ChatKinds.Private, IChannelSender? sender = null) =>
        (sender ?? Sender).SendAsync(new Delivery(++_outboxId, Chat, chatKind, message, "question-id", "card-id",
            _ => Task.FromResult<Stream>(new MemoryStream([1, 2, 3]))), CancellationToken.None);

    private static OutboundMessage Text(string text, IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons = null) =>
        new() { Kind = OutboundKind.Text, Text = text, Buttons = buttons };

    [Theory]
    [InlineData(429, 200, "Quota exceeded", typeof(SendResult.RetryLater))]
    [InlineData(500, 200, "Internal server error", typeof(SendResult.RetryLater))]
    [InlineData(502, 502, "Bad gateway", typeof(SendResult.RetryLater))]
    [InlineData(408, 408, "Request timeout", typeof(SendResult.RetryLater))]
    [InlineData(401, 401, "Unauthorized", typeof(SendResult.Failed))]
    [InlineData(403, 200, "Internal server error", typeof(SendResult.RetryLater))]
    [InlineData(400, 200, "Bad request: The chat_id must not be empty", typeof(SendResult.Failed))]
    public async Task Zalo_errors_sort_into_retry_and_never_by_error_code_whatever_the_http_status(int code, int http, string description, Type expected)
    {
        _z.Zalo.FailNext("sendMessage", code, description, http);
        var result = await SendAsync(Text("Dạ, tổ hỗ trợ đã nhận câu hỏi ạ."));
        Assert.IsType(expected, result);
        var error = result switch { SendResult.RetryLater r => r.Error, SendResult.Failed f => f.Error, _ => "" };
        Assert.Equal($"{code} {description}", error);
    }

    [Fact]
    public async Task Nginx_html_429_and_a_network_failure_are_retried_later_and_never_name_the_token()
    {
        _z.Zalo.ThrottleNext("sendMessage");
        var throttled = Assert.IsType<SendResult.RetryLater>(await SendAsync(Text("Dạ.")));
        Assert.StartsWith("429 ", throttled.Error, StringComparison.Ordinal);

        var services = _z.H.App!.Services;
        var unreachable = new ZaloBotClient(services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new ZaloBotOptions { Token = _z.Zalo.Token, ApiBaseUrl = "http://127.0.0.1:1" }), _z.H.Clock);
        var sender = new ZaloBotSender(unreachable, services.GetRequiredService<TextChoices>(), new SendBudget(SendLimits.Unlimited),
            services.GetRequiredService<ILogger<ZaloBotSender>>());
        var network = Assert.IsType<SendResult.RetryLater>(await SendAsync(Text("Dạ."), sender: sender));
        Assert.StartsWith("network: ", network.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_z.Zalo.Token.Split(':')[1], network.Error, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ZaloBotApiException>(() => unreachable.GetMeAsync(CancellationToken.None));
        Assert.DoesNotContain(_z.Zalo.Token.Split(':')[1], ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buttons_become_numbered_choices_for_citizens_and_are_dropped_in_the_staff_chat()
    {
        Assert.IsType<SendResult.Sent>(await SendAsync(Text("Câu trả lời đã giúp được anh/chị chưa ạ?", Feedback)));
        var citizen = _z.Zalo.Sent("sendMessage").Last();
        Assert.Equal("Câu trả lời đã giúp được anh/chị chưa ạ?\n\nAnh/chị nhắn một số để chọn ạ:\n1 – Đã giải quyết\n2 – Chưa giải quyết", citizen.Text);
        Assert.Equal(1, await _z.H.ScalarAsync("SELECT count(*) FROM text_choices WHERE channel = 'zalo-bot' AND chat_id = @Chat", new { Chat }));

        Assert.IsType<SendResult.Sent>(await SendAsync(Text("🆕 Phiếu #1", [[new OutboundButton("Nhận xử lý", "claim:1")]]), ChatKinds.Staff));
        Assert.Equal("🆕 Phiếu #1", _z.Zalo.Sent("sendMessage").Last().Text);
    }

    [Fact]
    public async Task A_photo_goes_by_address_with_its_caption_and_an_overlong_caption_follows_as_text()
    {
        const string url = "https://photo-stal-29.zdn.vn/no/jpg/bccf/1.jpg";
        var sent = Assert.IsType<SendResult.Sent>(await SendAsync(new OutboundMessage { Kind = OutboundKind.Photo, MediaUrl = url, Caption = "📎 Phiếu #1: ảnh" }));
        var photo = _z.Zalo.Sent("sendPhoto").Last();
        Assert.Equal((url, "📎 Phiếu #1: ảnh"), (photo.Photo, photo.Caption));
        Assert.Equal([photo.ResultMessageId!], sent.MessageIds);

        var before = _z.Zalo.Calls.Count;
        var longCaption = ZaloBotFlowTests.LongAnswer(2500);
        var both = Assert.IsType<SendResult.Sent>(await SendAsync(new OutboundMessage { Kind = OutboundKind.Photo, MediaUrl = url, Caption = longCaption, Buttons = Feedback }));
        var calls = _z.Zalo.Calls.Skip(before).Where(c => c.Method is "sendPhoto" or "sendMessage").ToList();
        Assert.Equal(["sendPhoto", "sendMessage", "sendMessage"], calls.Select(c => c.Method));
        Assert.Null(calls[0].Caption);
        Assert.EndsWith("2 – Chưa giải quyết", calls[^1].Text, StringComparison.Ordinal);
        Assert.Equal(3, both.MessageIds.Count);
    }

    [Fact]
    public async Task Edits_and_button_answers_need_nothing_and_files_and_copies_fail_with_a_reason()
    {
        var before = _z.Zalo.Calls.Count;
        Assert.Empty(Assert.IsType<SendResult.Sent>(await SendAsync(new OutboundMessage { Kind = OutboundKind.Edit, Text = "✅ Phiếu #1" }, ChatKinds.Staff)).MessageIds);
        Assert.Empty(Assert.IsType<SendResult.Sent>(await SendAsync(new OutboundMessage { Kind = OutboundKind.ButtonAnswer, Text = "Dạ" })).MessageIds);
        Assert.Equal("Zalo Bot Platform cannot send files", Assert.IsType<SendResult.Failed>(await SendAsync(
            new OutboundMessage { Kind = OutboundKind.Document, Document = new DocumentRequest("tickets", "phieu.csv") }, ChatKinds.Staff)).Error);
        Assert.IsType<SendResult.Failed>(await SendAsync(new OutboundMessage { Kind = OutboundKind.Copy, FromChatId = "x", FromMessageId = "y" }));
        Assert.Equal(before, _z.Zalo.Calls.Count);
    }

    [Fact]
    public void The_channel_declares_it_has_no_replies_buttons_edits_copies_or_files()
    {
        Assert.Equal(new ChannelFeatures(false, false, false, false) { Files = false }, _z.H.Service<IChatDirectory>().FeaturesOf("zalo-bot"));
        Assert.Equal(new StaffChat("zalo-bot", ZaloBotTestHost.StaffGroup), _z.H.Service<IChatDirectory>().Staff);
        Assert.True(_z.H.Service<IChatDirectory>().IsSupportGroup("zalo-bot", ZaloBotTestHost.SupportGroup));
    }
}
