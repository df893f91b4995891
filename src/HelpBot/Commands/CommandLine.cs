namespace HelpBot.Commands;

/// <summary>A slash command split into its name and arguments: "/close 12 trùng câu hỏi".</summary>
public sealed record CommandLine(string Name, string Arguments)
{
    public static CommandLine? Parse(string? text)
    {
        if (text is null || text.Length < 2 || text[0] != '/')
        {
            return null;
        }
        var trimmed = text.AsSpan(1).TrimEnd();
        var end = trimmed.IndexOfAny(' ', '\n', '\t');
        var name = end < 0 ? trimmed : trimmed[..end];
        var arguments = end < 0 ? "" : trimmed[(end + 1)..].Trim().ToString();
        if (name.Length == 0 || !IsCommandName(name))
        {
            return null;
        }
        return new CommandLine(name.ToString().ToLowerInvariant(), arguments);
    }

    /// <summary>The first argument as a ticket number: "12" or "#12".</summary>
    public bool TryTicketNumber(out long ticket, out string rest)
    {
        var span = Arguments.AsSpan().Trim();
        var end = span.IndexOfAny(' ', '\n', '\t');
        var first = end < 0 ? span : span[..end];
        rest = end < 0 ? "" : span[(end + 1)..].Trim().ToString();
        if (first.StartsWith("#"))
        {
            first = first[1..];
        }
        return long.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ticket) && ticket > 0;
    }

    private static bool IsCommandName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return name.Length <= 32;
    }
}
