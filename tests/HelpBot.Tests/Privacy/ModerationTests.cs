using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Privacy;

/// <summary>Floods, bans and the right to be forgotten, through the real host.</summary>
public sealed class ModerationTests : IAsyncLifetime
{
    private const long Spammer = 666;
    private HelpBotHarness _h = null!;

    public async Task InitializeAsync() => _h = await HelpBotHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Thirty_messages_in_a_minute_open_one_ticket_relay_a_bounded_number_and_get_one_notice()
    {
        for (var i = 0; i < 30; i++)
        {
            _h.AskInGroup(Spammer, "Anh X", $"Cho hỏi sao chưa ai trả lời lần {i}?");
        }
        await _h.SettleAsync();
        Assert.Equal(1, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.Equal(11, (await _h.EventsAsync(1)).Count(e => e.Kind == "FollowUp")); // the limit is 12 a minute
        Assert.Single(_h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.Group && r.Text!.Contains("đã nhận đủ tin nhắn"));
        Assert.Equal(18, await _h.ScalarAsync("SELECT count(*) FROM inbox WHERE outcome = 'flood'"));

        // A minute later the citizen is heard again.
        _h.Clock.Advance(TimeSpan.FromMinutes(1.5));
        _h.AskInGroup(Spammer, "Anh X", "Cho hỏi lại lần nữa?");
        await _h.SettleAsync();
        Assert.Equal(12, (await _h.EventsAsync(1)).Count(e => e.Kind == "FollowUp"));
    }

    [Fact]
    public async Task A_banned_citizen_opens_nothing_until_unbanned()
    {
        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, $"/ban {Spammer} quảng cáo");
        await _h.SentToAsync(HelpBotHarness.StaffChat, $"Đã chặn {Spammer}");
        _h.WritePrivately(Spammer, "Anh X", "Cho hỏi mua hàng giảm giá ở đâu?");
        await _h.SettleAsync();
        Assert.Equal(0, await _h.ScalarAsync("SELECT count(*) FROM tickets"));
        Assert.DoesNotContain(_h.Api.Sent("sendMessage"), r => r.ChatId == Spammer);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, $"/unban {Spammer}");
        await _h.SentToAsync(HelpBotHarness.StaffChat, $"Đã bỏ chặn {Spammer}");
        _h.WritePrivately(Spammer, "Anh X", "Cho hỏi làm căn cước ở đâu?");
        await _h.CardAsync(1);
        Assert.Equal(2, await _h.ScalarAsync("SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task Forget_erases_who_asked_and_what_but_keeps_the_timings_for_the_statistics()
    {
        _h.WritePrivately(501, "Nguyễn Thị Tư", "Cho hỏi CCCD 001234567890 của tôi làm lại ở đâu?");
        var card = await _h.CardAsync(1);
        Assert.Contains("CCCD •••••••••890 của tôi", card.Text, StringComparison.Ordinal);
        _h.WritePrivately(501, "Nguyễn Thị Tư", "Số điện thoại của tôi là 0912345678");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "0912345678");
        _h.Clock.Advance(TimeSpan.FromMinutes(20));
        _h.InStaffChat(601, "Lan", "Dạ, bác ra Công an xã ạ.", replyTo: card.ResultMessageId);
        await _h.SentToAsync(501, "Công an xã");
        _h.WritePrivately(502, "Ông Năm", "Cho hỏi khai sinh ở đâu?");
        await _h.CardAsync(2);

        _h.InStaffChat(HelpBotHarness.AdminId, HelpBotHarness.AdminName, "/forget #1");
        await _h.SentToAsync(HelpBotHarness.StaffChat, "trong 1 phiếu");
        await _h.CardEditAsync(card.ResultMessageId!.Value, "(đã xoá)");
        await _h.SettleAsync();

        var forgotten = await _h.TicketAsync(1);
        Assert.Equal("(đã xoá)", forgotten.CitizenName);
        Assert.Equal("forgotten", forgotten.CitizenId);
        Assert.Equal("forgotten", forgotten.ChatId);
        Assert.DoesNotContain("001234567890", forgotten.Question, StringComparison.Ordinal);
        Assert.Equal(TicketState.Answered, forgotten.State);
        Assert.Equal(TimeSpan.FromMinutes(20), forgotten.FirstResponseAt - forgotten.CreatedAt);
        foreach (var table in new[] { "tickets", "ticket_events", "outbox", "conversations", "message_links", "audit_events" })
        {
            await using var connection = await _h.Db.Database.OpenAsync();
            var dump = string.Join("|", (await Dapper.SqlMapper.QueryAsync(connection, $"SELECT * FROM {table}"))
                .Select(r => string.Join(",", ((IDictionary<string, object>)r).Values)));
            Assert.DoesNotContain("Nguyễn Thị Tư", dump, StringComparison.Ordinal);
            Assert.DoesNotContain("0912345678", dump, StringComparison.Ordinal);
            Assert.DoesNotContain("001234567890", dump, StringComparison.Ordinal);
        }
        Assert.Equal("Ông Năm", (await _h.TicketAsync(2)).CitizenName);
    }
}

public sealed class PrivacyTests
{
    [Theory]
    [InlineData("CCCD 001234567890 ạ", "CCCD •••••••••890 ạ")]
    [InlineData("cmnd 123456789", "cmnd ••••••789")]
    [InlineData("số 0912345678 gọi giúp", "số 0912345678 gọi giúp")]
    [InlineData("mã hồ sơ 1234567890123", "mã hồ sơ 1234567890123")]
    public void Id_card_numbers_are_masked_and_phone_numbers_kept(string text, string expected) =>
        Assert.Equal(expected, HelpBot.Text.Privacy.MaskIdNumbers(text));
}
