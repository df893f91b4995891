namespace HelpBot.Text;

/// <summary>Texts longer than a platform's longest message, cut into ordered parts that each fit.</summary>
public static class LongText
{
    /// <summary>Splits a long text at paragraph, line or sentence boundaries, never inside a word if it can help it.</summary>
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return [text.Length == 0 ? "…" : text];
        }
        var parts = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > limit)
        {
            var window = rest[..limit];
            var cut = LastBoundary(window, "\n\n");
            if (cut < limit / 2) cut = LastBoundary(window, "\n");
            if (cut < limit / 2) cut = Math.Max(LastBoundary(window, ". "), Math.Max(LastBoundary(window, "? "), LastBoundary(window, "! ")));
            if (cut < limit / 2) cut = LastBoundary(window, " ");
            if (cut < limit / 2) cut = limit;
            if (char.IsHighSurrogate(rest[cut - 1])) cut--;
            parts.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0)
        {
            parts.Add(rest.ToString());
        }
        return parts;
    }

    private static int LastBoundary(ReadOnlySpan<char> window, string boundary)
    {
        var index = window.LastIndexOf(boundary);
        return index < 0 ? -1 : index + boundary.Length;
    }
}
