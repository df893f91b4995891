using System.Globalization;
using System.Text;

namespace HelpBot.Text;

/// <summary>
/// Folds Vietnamese text to a base form so that "Cho hỏi làm CCCD ở đâu?" and "cho hoi lam cccd o dau"
/// match: NFD, combining marks removed, đ → d, lower case, punctuation to spaces, spaces collapsed.
/// </summary>
public static class VietnameseText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format)
            {
                continue;
            }
            char folded = c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            };
            if (char.IsLetterOrDigit(folded))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                pendingSpace = false;
                builder.Append(folded);
            }
            else
            {
                pendingSpace = true;
            }
        }
        return builder.ToString();
    }

    /// <summary>True if the folded text contains the folded phrase as whole words.</summary>
    public static bool ContainsPhrase(string foldedText, string foldedPhrase)
    {
        if (foldedPhrase.Length == 0)
        {
            return false;
        }
        var index = 0;
        while ((index = foldedText.IndexOf(foldedPhrase, index, StringComparison.Ordinal)) >= 0)
        {
            var startOk = index == 0 || foldedText[index - 1] == ' ';
            var end = index + foldedPhrase.Length;
            var endOk = end == foldedText.Length || foldedText[end] == ' ';
            if (startOk && endOk)
            {
                return true;
            }
            index = end;
        }
        return false;
    }
}
