using System.Text;
using System.Text.Json;
using HelpBot.Channels.ZaloOa;
using HelpBot.Inbox;
using HelpBot.Tests.Fakes;
using HelpBot.Tickets;

namespace HelpBot.Tests.Channels.ZaloOa;

public sealed class ZaloOaMappingTests
{
    private static ZaloOaMapped Map(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ZaloOaEventMapper.Map(doc.RootElement);
    }

    private static string Event(string name, string message, string recipient = FakeZaloOa.OaId) =>
        $$"""{"app_id":"1","sender":{"id":"2468458835296197922"},"recipient":{"id":"{{recipient}}"},"event_name":"{{name}}","message":{{message}},"timestamp":"1796000000123"}""";

    [Theory]
    [InlineData("user_send_text", """{"msg_id":"m1","text":"hỏi"}""", InboundKind.Text, null)]
    [InlineData("user_send_image", """{"msg_id":"m1","attachments":[{"type":"image","payload":{"thumbnail":"https://t/1.jpg","url":"https://p/1.jpg"}}]}""", InboundKind.Photo, "https://p/1.jpg")]
    [InlineData("user_send_file", """{"msg_id":"m1","attachments":[{"type":"file","payload":{"size":"233947","name":"don.docx","url":"https://f/don.docx"}}]}""", InboundKind.Document, "https://f/don.docx")]
    [InlineData("user_send_audio", """{"msg_id":"m1","attachments":[{"type":"audio","payload":{"url":"https://a/1.aac"}}]}""", InboundKind.Voice, "https://a/1.aac")]
    [InlineData("user_send_video", """{"msg_id":"m1","attachments":[{"type":"video","payload":{"url":"https://v/1.mp4"}}]}""", InboundKind.Video, "https://v/1.mp4")]
    [InlineData("user_send_sticker", """{"msg_id":"m1","attachments":[{"type":"sticker","payload":{"id":"s","url":"https://s/1"}}]}""", InboundKind.Sticker, null)]
    [InlineData("user_send_gif", """{"msg_id":"m1","attachments":[{"type":"gif","payload":{"url":"https://g/1.gif"}}]}""", InboundKind.Sticker, null)]
    [InlineData("user_send_location", """{"msg_id":"m1","attachments":[{"type":"location","payload":{"coordinates":{"latitude":"21.0","longitude":"105.8"}}}]}""", InboundKind.Other, null)]
    public void Person_events_map_to_private_chats_with_kinds_and_addresses(string name, string message, InboundKind kind, string? url)
    {
        var e = Map(Event(name, message)).Event!;
        Assert.Equal((kind, url, ChatKinds.Private, "2468458835296197922"), (e.Kind, e.AttachmentUrl, e.ChatKind, e.ChatId));
        Assert.Equal($"{name}:m1", e.EventId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796000000123), e.SentAt);
        Assert.Equal("Người dùng Zalo …7922", e.From.DisplayName);
    }

    [Fact]
    public void A_link_without_text_carries_its_address_as_text_and_a_quote_becomes_the_reply()
    {
        var link = Map(Event("user_send_link", """{"msg_id":"m2","quote_msg_id":"q9","attachments":[{"type":"link","payload":{"url":"https://dichvucong.gov.vn"}}]}""")).Event!;
        Assert.Equal((InboundKind.Text, "https://dichvucong.gov.vn", "q9"), (link.Kind, link.Text, link.ReplyToMessageId));
    }

    [Fact]
    public void Group_events_are_group_chats_named_by_the_group_id()
    {
        var e = Map(Event("user_send_group_text", """{"msg_id":"g1","text":"hỏi","quote_msg":{"msg_id":"q1"}}""", recipient: "f414c8f76fa586fbdfb4")).Event!;
        Assert.Equal(("f414c8f76fa586fbdfb4", ChatKinds.Group, "2468458835296197922", "q1"), (e.ChatId, e.ChatKind, e.From.Id, e.ReplyToMessageId));
        var image = Map(Event("user_send_group_image", """{"msg_id":"g2","attachments":[{"type":"image","payload":{"url":"https://p/2.jpg"}}]}""", recipient: "grp")).Event!;
        Assert.Equal((InboundKind.Photo, "https://p/2.jpg"), (image.Kind, image.AttachmentUrl));
    }

    [Theory]
    [InlineData("oa_send_text")]
    [InlineData("oa_send_group_text")]
    [InlineData("user_received_message")]
    [InlineData("user_seen_message")]
    [InlineData("follow")]
    public void Echoes_receipts_and_follows_are_not_messages_to_the_desk(string name) =>
        Assert.Equal(new ZaloOaMapped(null), Map(Event(name, """{"msg_id":"m1","text":"x"}""")));

    [Fact]
    public void The_signature_is_sha256_of_app_id_raw_body_timestamp_and_secret_key()
    {
        const string body = """{"app_id":"360846524940903967","event_name":"user_send_text","timestamp":"1543908534740"}""";
        var expected = "mac=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            Encoding.UTF8.GetBytes("360846524940903967" + body + "1543908534740" + "key"))).ToLowerInvariant();
        Assert.Equal(expected, ZaloOaSignature.Compute("360846524940903967", Encoding.UTF8.GetBytes(body), "1543908534740", "key"));
        Assert.True(ZaloOaSignature.Verify(expected, "360846524940903967", Encoding.UTF8.GetBytes(body), "1543908534740", "key"));
        Assert.False(ZaloOaSignature.Verify(expected, "360846524940903967", Encoding.UTF8.GetBytes(body + " "), "1543908534740", "key"));
        Assert.False(ZaloOaSignature.Verify(expected, "360846524940903967", Encoding.UTF8.GetBytes(body), "1543908534740", "other"));
    }

    [Fact]
    public void Each_bad_setting_is_one_line_naming_its_key()
    {
        var result = new ZaloOaOptionsValidator().Validate(null, new ZaloOaOptions
        {
            AppId = "abc",
            ApiBaseUrl = "ftp://x",
            RefreshToken = "two words",
            SupportGroupIds = ["g1"],
            StaffGroupId = "g1",
            Limits = new HelpBot.Outbox.SendLimitOptions { GlobalPerSecond = -1 },
        });
        var lines = result.Failures!.ToList();
        foreach (var key in new[] { "AppId", "SecretKey", "AppSecret", "ApiBaseUrl", "RefreshToken", "SupportGroupIds", "Limits" })
        {
            Assert.Single(lines, l => l.StartsWith($"HelpBot:Zalo:OA:{key} ", StringComparison.Ordinal));
        }
        Assert.All(lines, l => Assert.DoesNotContain("\n", l, StringComparison.Ordinal));
        Assert.True(new ZaloOaOptionsValidator().Validate(null, new ZaloOaOptions { AppId = "1", SecretKey = "s", AppSecret = "a" }).Succeeded);
    }
}
