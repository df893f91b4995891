using HelpBot.Outbox;
using HelpBot.Tests.Channels.ZaloBot;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloOa;

/// <summary>The OA's sender as the host composes it, against the fake OA servers.</summary>
public sealed class ZaloOaSenderTests : IAsyncLifetime
{
    private const string Url = "https://f6.photo.talk.zdn.vn/1234/giay-to.jpg";
    private static readonly IReadOnlyList<IReadOnlyList<OutboundButton>> Feedback =
        [[new OutboundButton("Đã giải quyết", "solved:1"), new OutboundButton("Chưa giải quyết", "unsolved:1")]];

    private ZaloOaDesk _d = null!;
    private long _outboxId = 1000;

    public async Task InitializeAsync() => _d = await ZaloOaDesk.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private IChannelSender Sender => _d.H.Service<IEnumerable<IChannelSender>>().Single(s => s.Channel == "zalo-oa");

    private Task<SendResult> SendAsync(OutboundMessage message, string chatId = ZaloOaDesk.Citizen, string chatKind = ChatKinds.Private) =>
        Sender.SendAsync(new Delivery(++_outboxId, chatId, chatKind, message, "question-id", null, null), CancellationToken.None);

    private static OutboundMessage Photo(string caption, IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons = null) =>
        new() { Kind = OutboundKind.Photo, MediaUrl = Url, Caption = caption, Buttons = buttons };

    [Fact]
    public async Task A_photo_to_a_citizen_carries_its_feedback_choices_and_an_overlong_caption_follows_in_full_as_text()
    {
        var before = _d.Oa.Requests.Count;
        var sent = Assert.IsType<SendResult.Sent>(await SendAsync(Photo("📎 Phiếu #1: mẫu tờ khai", Feedback)));
        var photo = Assert.Single(_d.Oa.Sends, r => r.Sequence > before);
        Assert.Equal(Url, photo.ImageUrl);
        Assert.StartsWith("📎 Phiếu #1: mẫu tờ khai", photo.Text, StringComparison.Ordinal);
        Assert.Contains("1 – Đã giải quyết", photo.Text, StringComparison.Ordinal);
        Assert.Equal("question-id", photo.QuoteMessageId);
        Assert.Equal([photo.MessageId!], sent.MessageIds);
        Assert.Equal(1, await _d.H.ScalarAsync($"SELECT count(*) FROM text_choices WHERE channel = 'zalo-oa' AND chat_id = '{ZaloOaDesk.Citizen}'"));

        before = _d.Oa.Requests.Count;
        var longCaption = ZaloBotFlowTests.LongAnswer(2500);
        var both = Assert.IsType<SendResult.Sent>(await SendAsync(Photo(longCaption, Feedback)));
        var sends = _d.Oa.Sends.Where(r => r.Sequence > before).ToList();
        Assert.Equal(3, sends.Count);
        Assert.All(sends, s => Assert.True(s.Succeeded, s.ToString()));
        Assert.Equal((Url, null, "question-id"), (sends[0].ImageUrl, sends[0].Text, sends[0].QuoteMessageId));
        Assert.All(sends.Skip(1), s => Assert.Null(s.ImageUrl));
        Assert.Equal(Squeeze(longCaption), Squeeze(string.Concat(sends.Skip(1).Select(s => s.Text)))[..Squeeze(longCaption).Length]);
        Assert.EndsWith("2 – Chưa giải quyết", sends[^1].Text, StringComparison.Ordinal);
        Assert.Equal(3, both.MessageIds.Count);
    }

    [Fact]
    public async Task A_photo_to_the_staff_chat_drops_its_buttons()
    {
        var before = _d.Oa.Requests.Count;
        Assert.IsType<SendResult.Sent>(await SendAsync(Photo("📎 Phiếu #1: ảnh", [[new OutboundButton("Nhận xử lý", "claim:1")]]), ZaloOaDesk.Group, ChatKinds.Staff));
        var photo = Assert.Single(_d.Oa.Sends, r => r.Sequence > before);
        Assert.Equal(("📎 Phiếu #1: ảnh", Url), (photo.Text, photo.ImageUrl));
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
