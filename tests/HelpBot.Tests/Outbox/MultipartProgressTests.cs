using HelpBot.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace HelpBot.Tests.Outbox;

/// <summary>The memory of a row's delivered parts: resumed on a retry, forgotten when the row is done one way or another.</summary>
public sealed class MultipartProgressTests
{
    private readonly List<string> _delivered = [];

    /// <summary>Parts that deliver their text, except where <paramref name="outcome"/> says otherwise.</summary>
    private List<Func<CancellationToken, Task<SendResult>>> Parts(string[] texts, Func<int, SendResult?>? outcome = null) =>
        texts.Select((text, i) => (Func<CancellationToken, Task<SendResult>>)(_ =>
        {
            if (outcome?.Invoke(i) is { } other)
            {
                return Task.FromResult(other);
            }
            _delivered.Add(text);
            return Task.FromResult<SendResult>(new SendResult.Sent([$"id-{text}"]));
        })).ToList();

    [Fact]
    public async Task A_retry_resumes_after_the_delivered_parts_and_the_ids_of_every_part_come_back()
    {
        var progress = new MultipartProgress();
        var failing = true;
        string[] texts = ["một", "hai", "ba"];
        Assert.IsType<SendResult.RetryLater>(await progress.SendAsync(7, "một hai ba",
            Parts(texts, i => i == 1 && failing ? new SendResult.RetryLater("429") : null), CancellationToken.None));
        Assert.Equal(1, progress.Pending);
        failing = false;

        var sent = Assert.IsType<SendResult.Sent>(await progress.SendAsync(7, "một hai ba", Parts(texts), CancellationToken.None));

        Assert.Equal(["một", "hai", "ba"], _delivered);
        Assert.Equal(["id-một", "id-hai", "id-ba"], sent.MessageIds);
        Assert.Equal(0, progress.Pending);
    }

    [Fact]
    public async Task A_failed_or_throwing_part_ends_the_rows_memory_and_other_content_under_the_same_id_starts_over()
    {
        var progress = new MultipartProgress();
        string[] texts = ["một", "hai"];
        Assert.IsType<SendResult.Failed>(await progress.SendAsync(1, "a", Parts(texts, i => i == 1 ? new SendResult.Failed("403") : null), CancellationToken.None));
        Assert.Equal(0, progress.Pending);

        await Assert.ThrowsAsync<InvalidOperationException>(() => progress.SendAsync(2, "b",
            Parts(texts, i => i == 1 ? throw new InvalidOperationException() : null), CancellationToken.None));
        Assert.Equal(0, progress.Pending);

        Assert.IsType<SendResult.RetryLater>(await progress.SendAsync(3, "c", Parts(texts, i => i == 1 ? new SendResult.RetryLater("x") : null), CancellationToken.None));
        _delivered.Clear();
        Assert.IsType<SendResult.Sent>(await progress.SendAsync(3, "d", Parts(texts), CancellationToken.None));
        Assert.Equal(["một", "hai"], _delivered);
    }

    [Fact]
    public async Task A_row_not_tried_again_for_days_is_forgotten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var progress = new MultipartProgress(clock);
        Assert.IsType<SendResult.RetryLater>(await progress.SendAsync(1, "a", Parts(["một", "hai"], i => i == 1 ? new SendResult.RetryLater("x") : null), CancellationToken.None));
        clock.Advance(TimeSpan.FromDays(9));
        await progress.SendAsync(2, "b", Parts(["ba"]), CancellationToken.None);
        Assert.Equal(0, progress.Pending);
    }
}
