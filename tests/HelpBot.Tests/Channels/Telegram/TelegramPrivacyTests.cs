using HelpBot.Tests.Support;

namespace HelpBot.Tests.Channels.Telegram;

public sealed class TelegramPrivacyTests
{
    [Fact]
    public async Task No_log_line_of_a_full_run_holds_the_token_a_phone_number_an_id_card_number_or_a_question()
    {
        await using var h = await HelpBotHarness.StartAsync();
        h.WritePrivately(501, "Bà Tư", "Cho hỏi CCCD 001234567890 của tôi, số điện thoại 0912345678, sao chưa kích hoạt được VNeID?");
        var card = await h.CardAsync(1);
        h.Api.FailNext("sendMessage", 500, "Internal Server Error");
        h.InStaffChat(601, "Lan", "Dạ, bác gọi 0987654321 để được hỗ trợ ạ.", replyTo: card.ResultMessageId);
        await h.Api.WaitForRequestAsync(r => r.Method == "sendMessage" && r.StatusCode == 500);
        await h.AdvancePastRetryAsync();
        await h.SentToAsync(501, "0987654321");
        h.Api.EnqueueRaw("""{"message":{"message_id":"x","text":"0912345678"}}""");
        h.InStaffChat(900, "Chủ tịch", "/stats");
        await h.SentToAsync(HelpBotHarness.StaffChat, "Số liệu");
        await h.StopHostAsync();

        Assert.NotEmpty(h.Logs.Lines);
        Assert.Contains(h.Logs.Lines, l => l.Contains("Connected to Telegram", StringComparison.Ordinal));
        foreach (var secret in new[] { h.Api.Token, "TEST-TOKEN", "001234567890", "0912345678", "0987654321", "kích hoạt" })
        {
            Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
