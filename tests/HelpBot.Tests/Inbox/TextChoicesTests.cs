using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Inbox;

public sealed class TextChoicesTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(HelpBotHarness.Start);
    private readonly TextChoices _choices;

    public TextChoicesTests() => _choices = new TextChoices(_db.Database, new HelpBot.Text.Texts(), _clock);

    public Task InitializeAsync() => new Migrator(_db.Database, _clock, NullLogger<Migrator>.Instance).MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _db.Dispose();

    private static readonly IReadOnlyList<IReadOnlyList<OutboundButton>> Feedback =
        [[new OutboundButton("Đã giải quyết", "solved:12"), new OutboundButton("Chưa giải quyết", "unsolved:12")]];

    /// <summary>What a Zalo sender does: the text with numbered choices, and the offer recorded once delivered.</summary>
    private async Task<string> OfferAsync(string chat, string text, IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons, string? addressee = null)
    {
        var message = new OutboundMessage { Kind = OutboundKind.Text, Text = text, Buttons = buttons, Addressee = addressee };
        var (numbered, offer) = _choices.ForDelivery("zalo-bot", new Delivery(1, chat, "private", message, null, null, null), text);
        await _choices.AfterSendAsync(offer, new SendResult.Sent(["m"]), CancellationToken.None);
        return numbered;
    }

    private async Task<string?> TakeAsync(string chat, int number, string user = "u1")
    {
        await using var s = await DeskSession.BeginAsync(_db.Database);
        var chosen = await _choices.TakeAsync(s, "zalo-bot", chat, user, number);
        await s.CommitAsync();
        return chosen;
    }

    [Fact]
    public async Task Buttons_become_numbered_lines_and_a_number_stands_for_its_button_once()
    {
        var text = await OfferAsync("c1", "Câu trả lời đã giúp được anh/chị chưa ạ?", Feedback);
        Assert.Equal("Câu trả lời đã giúp được anh/chị chưa ạ?\n\nAnh/chị nhắn một số để chọn ạ:\n1 – Đã giải quyết\n2 – Chưa giải quyết",
            text.ReplaceLineEndings("\n"));

        Assert.Null(await TakeAsync("c2", 1));
        Assert.Null(await TakeAsync("c1", 3));
        Assert.Equal("unsolved:12", await TakeAsync("c1", 2));
        Assert.Null(await TakeAsync("c1", 1));
    }

    [Fact]
    public async Task Rating_labels_that_start_with_their_number_are_not_numbered_twice_and_the_latest_offer_counts()
    {
        await OfferAsync("c1", "?", Feedback);
        var rating = await OfferAsync("c1", "Chấm điểm",
            [[.. Enumerable.Range(1, 5).Select(n => new OutboundButton($"{n}⭐", $"rate:12:{n}"))]]);
        Assert.Contains("\n1⭐\n2⭐", rating.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("rate:12:2", await TakeAsync("c1", 2));
    }

    [Fact]
    public async Task In_a_group_each_citizens_offer_is_theirs_and_nobody_else_can_use_it_up()
    {
        await OfferAsync("g", "A?", [[new OutboundButton("Đã giải quyết", "solved:1")]], addressee: "a");
        await OfferAsync("g", "B?", [[new OutboundButton("Đã giải quyết", "solved:2")]], addressee: "b");

        Assert.Null(await TakeAsync("g", 1, user: "c"));
        Assert.Equal("solved:2", await TakeAsync("g", 1, user: "b"));
        Assert.Null(await TakeAsync("g", 1, user: "b"));
        Assert.Equal("solved:1", await TakeAsync("g", 1, user: "a"));
    }

    [Fact]
    public async Task An_offer_to_the_whole_chat_is_anyones_after_their_own()
    {
        await OfferAsync("g", "?", [[new OutboundButton("x", "all:1")]]);
        await OfferAsync("g", "?", [[new OutboundButton("y", "mine:1")]], addressee: "a");
        Assert.Equal("mine:1", await TakeAsync("g", 1, user: "a"));
        Assert.Equal("all:1", await TakeAsync("g", 1, user: "b"));
    }

    [Fact]
    public async Task A_delivery_offers_its_choices_only_once_it_was_delivered_and_never_in_the_staff_chat()
    {
        var message = new OutboundMessage { Kind = OutboundKind.Text, Text = "?", Buttons = Feedback, Addressee = "u1" };
        var (text, offer) = _choices.ForDelivery("zalo-bot", new Delivery(1, "c1", "private", message, null, null, null), "?");
        Assert.Contains("1 – Đã giải quyết", text, StringComparison.Ordinal);

        await _choices.AfterSendAsync(offer, new SendResult.RetryLater("429"), CancellationToken.None);
        Assert.Null(await TakeAsync("c1", 1));
        await _choices.AfterSendAsync(offer, new SendResult.Sent(["m1"]), CancellationToken.None);
        Assert.Equal("solved:12", await TakeAsync("c1", 1));

        var (staffText, staffOffer) = _choices.ForDelivery("zalo-bot", new Delivery(2, "staff", "staff", message, null, null, null), "Phiếu #12");
        Assert.Equal("Phiếu #12", staffText);
        Assert.Null(staffOffer);
    }

    [Fact]
    public async Task An_offer_expires()
    {
        await OfferAsync("c1", "?", Feedback);
        _clock.Advance(TextChoices.ValidFor + TimeSpan.FromMinutes(1));
        Assert.Null(await TakeAsync("c1", 1));
    }

    [Fact]
    public async Task A_message_without_buttons_is_left_as_it_is_and_records_no_offer()
    {
        Assert.Equal("Dạ.", await OfferAsync("c1", "Dạ.", null));
        Assert.Null(await TakeAsync("c1", 1));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData(" 2. ", 2)]
    [InlineData("5)", 5)]
    [InlineData("0", null)]
    [InlineData("123", null)]
    [InlineData("1 ạ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_a_small_bare_number_names_a_choice(string? text, int? number) => Assert.Equal(number, TextChoices.NumberOf(text));
}
