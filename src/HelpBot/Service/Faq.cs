using HelpBot.Text;

namespace HelpBot.Service;

/// <summary>An answer the desk gives by itself to a question that contains all of its keywords.</summary>
public sealed class FaqEntry
{
    public long Id { get; set; }
    public string Keywords { get; set; } = "";
    public string Answer { get; set; } = "";

    public IReadOnlyList<string> Phrases =>
        Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(VietnameseText.Fold).Where(p => p.Length > 0).ToList();
}

/// <summary>
/// Picks the FAQ entry for a question: every keyword phrase must appear (diacritics-insensitive, whole
/// words); among several, the one whose keywords say most (more phrases, then more words) wins.
/// </summary>
public static class FaqMatcher
{
    public static FaqEntry? Match(string? question, IEnumerable<FaqEntry> entries)
    {
        var folded = VietnameseText.Fold(question);
        if (folded.Length == 0)
        {
            return null;
        }
        return entries
            .Select(e => (Entry: e, Phrases: e.Phrases))
            .Where(x => x.Phrases.Count > 0 && x.Phrases.All(p => VietnameseText.ContainsPhrase(folded, p)))
            .OrderByDescending(x => x.Phrases.Count)
            .ThenByDescending(x => x.Phrases.Sum(p => p.Count(c => c == ' ') + 1))
            .ThenBy(x => x.Entry.Id)
            .Select(x => x.Entry)
            .FirstOrDefault();
    }
}
