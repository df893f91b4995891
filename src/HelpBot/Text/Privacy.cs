using System.Text.RegularExpressions;

namespace HelpBot.Text;

/// <summary>
/// Masks citizen ID-card numbers (12-digit CCCD, 9-digit old CMND) in what the team sees in previews:
/// the card and relayed follow-ups. The team rarely needs the full number in a chat, and a staff chat is
/// copied, forwarded and screenshotted. Phone numbers stay: the team calls citizens back.
/// </summary>
public static partial class Privacy
{
    [GeneratedRegex(@"(?<!\d)(\d{6})(\d{3})(\d{3})(?!\d)|(?<!\d)(\d{6})(\d{3})(?!\d)")]
    private static partial Regex IdNumber();

    public static string MaskIdNumbers(string text) =>
        IdNumber().Replace(text, m => m.Groups[1].Success
            ? $"{new string('•', 9)}{m.Groups[3].Value}"
            : $"{new string('•', 6)}{m.Groups[5].Value}");
}
