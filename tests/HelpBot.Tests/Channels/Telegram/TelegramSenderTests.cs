using System.Net;
using System.Net.Sockets;
using HelpBot.Channels.Telegram;
using HelpBot.Outbox;
using HelpBot.Tests.Fakes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace HelpBot.Tests.Channels.Telegram;

public sealed class TelegramSenderTests
{
    private static Delivery Text(string text = "Dạ, xin chào") =>
        new(1, "501", "private", new OutboundMessage { Kind = OutboundKind.Text, Text = text }, null, null, null);

    [Fact]
    public async Task A_refused_connection_is_retried_later_not_parked()
    {
        // A port nobody listens on: take a free one and close it again.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new TelegramBotClient(new TelegramBotClientOptions("1:x", $"http://127.0.0.1:{port}") { RetryCount = 0 });
        var result = await new TelegramSender(client, new SendBudget(SendLimits.Unlimited)).SendAsync(Text(), CancellationToken.None);
        Assert.IsType<SendResult.RetryLater>(result);
    }

    [Fact]
    public async Task A_timeout_is_retried_later()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections and never answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var client = new TelegramBotClient(new TelegramBotClientOptions("1:x", $"http://127.0.0.1:{port}") { RetryCount = 0 }, http);
        var result = await new TelegramSender(client, new SendBudget(SendLimits.Unlimited)).SendAsync(Text(), CancellationToken.None);
        Assert.IsType<SendResult.RetryLater>(result);
    }

    [Theory]
    [InlineData(429, "Too Many Requests: retry after 7", typeof(SendResult.RetryLater))]
    [InlineData(502, "Bad Gateway", typeof(SendResult.RetryLater))]
    [InlineData(403, "Forbidden: bot was blocked by the user", typeof(SendResult.Failed))]
    [InlineData(400, "Bad Request: chat not found", typeof(SendResult.Failed))]
    [InlineData(400, "Bad Request: message is not modified", typeof(SendResult.Sent))]
    [InlineData(400, "Bad Request: query is too old and response timeout expired", typeof(SendResult.Sent))]
    public void Platform_errors_sort_into_retry_never_and_nothing_to_do(int code, string description, Type expected) =>
        Assert.IsType(expected, TelegramSender.Classify(new ApiRequestException(description, code)));

    [Fact]
    public void Long_texts_split_at_line_boundaries_in_order_and_never_lose_a_character()
    {
        var text = string.Join("\n", Enumerable.Range(1, 400).Select(i => $"Dòng {i}: nộp hồ sơ tại bộ phận một cửa."));
        var parts = HelpBot.Outbox.TextSplitter.Split(text, TelegramSender.MaxTextLength);
        Assert.All(parts, p => Assert.True(p.Length <= 4096));
        Assert.Equal(text.Replace("\n", "", StringComparison.Ordinal), string.Concat(parts).Replace("\n", "", StringComparison.Ordinal));
        Assert.All(parts.Skip(1), p => Assert.StartsWith("Dòng ", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_later_part_of_a_long_text_is_rate_limited_the_retry_sends_only_the_parts_not_yet_delivered()
    {
        await using var api = await FakeBotApi.StartAsync();
        var client = new TelegramBotClient(new TelegramBotClientOptions(api.Token, api.BaseUrl) { RetryCount = 0 });
        var sender = new TelegramSender(client, new SendBudget(SendLimits.Unlimited));
        var text = string.Join("\n", Enumerable.Range(1, 400).Select(i => $"Dòng {i:D3}: nộp hồ sơ tại Trung tâm Phục vụ hành chính công xã."));
        api.FailNextWhere("sendMessage", body => body["text"]?.ToString() is { } t && !t.StartsWith("Dòng 001", StringComparison.Ordinal),
            429, "Too Many Requests: retry after 1", retryAfter: 1);
        var delivery = Text(text);

        Assert.IsType<SendResult.RetryLater>(await sender.SendAsync(delivery, CancellationToken.None));
        var sent = Assert.IsType<SendResult.Sent>(await sender.SendAsync(delivery, CancellationToken.None));

        var delivered = api.Sent("sendMessage").Select(r => r.Text!).ToList();
        Assert.Single(delivered, t => t.StartsWith("Dòng 001", StringComparison.Ordinal));
        Assert.Equal(text.Replace("\n", "", StringComparison.Ordinal), string.Concat(delivered).Replace("\n", "", StringComparison.Ordinal));
        Assert.Equal(delivered.Count, sent.MessageIds.Count);
    }
}
