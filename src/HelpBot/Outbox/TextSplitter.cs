namespace HelpBot.Outbox;

/// <summary>Cuts a text too long for one message into parts a platform accepts, in order.</summary>
public static class TextSplitter
{
    /// <summary>
    /// Splits a long text at paragraph, line or sentence boundaries, never inside a word if it can help it,
    /// and never between the two halves of a surrogate pair. Each part is at most <paramref name="limit"/>
    /// UTF-16 code units; whitespace at a cut is dropped. An empty text becomes one "…" (platforms refuse empty messages).
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
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
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
            {
                parts.Add(part.ToString());
            }
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
