using HelpBot.Outbox;

namespace HelpBot.Tests.Outbox;

public sealed class TextSplitterTests
{
    [Fact]
    public void Sentences_without_line_breaks_are_cut_after_a_sentence_and_keep_their_order()
    {
        var text = string.Concat(Enumerable.Range(1, 120).Select(i => $"Câu {i} nói về hồ sơ hộ tịch tại xã. "));
        var parts = TextSplitter.Split(text, 500);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 500));
        Assert.All(parts, p => Assert.EndsWith(".", p.TrimEnd(), StringComparison.Ordinal));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_text_without_any_boundary_is_cut_at_the_limit_but_never_inside_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 1500)); // 3,000 UTF-16 units, no spaces
        var parts = TextSplitter.Split(text, 2000);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.All(parts, p => Assert.False(char.IsLowSurrogate(p[0]) || char.IsHighSurrogate(p[^1])));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void A_short_text_is_one_part_and_an_empty_one_is_never_sent_empty()
    {
        Assert.Equal(["Dạ."], TextSplitter.Split("Dạ.", 2000));
        Assert.Equal(["…"], TextSplitter.Split("", 2000));
    }
}
