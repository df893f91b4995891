using HelpBot.Text;

namespace HelpBot.Inbox;

public enum MessageIntent
{
    /// <summary>Asks something: opens a ticket (or joins the open one).</summary>
    Question,
    /// <summary>Hello, thanks, ok, a lone emoji: answered politely in private, ignored in a group.</summary>
    SmallTalk,
    /// <summary>Group chatter that asks nothing.</summary>
    Chatter,
}

/// <summary>
/// Decides whether a citizen's message in a support group asks something. Works on folded text, so
/// diacritics and case don't matter ("lam sao" = "làm sao").
/// </summary>
public static class QuestionDetector
{
    // Question phrases of everyday Vietnamese, folded. Whole-word matches only.
    private static readonly string[] QuestionPhrases =
    [
        "cho hoi", "xin hoi", "cho em hoi", "cho minh hoi", "cho toi hoi", "cho chau hoi", "cho tui hoi", "hoi chut",
        "em hoi", "toi hoi", "minh hoi", "lam sao", "the nao", "nhu the nao", "nhu nao", "o dau", "bao lau",
        "bao nhieu", "bao gio", "khi nao", "luc nao", "co duoc khong", "duoc khong", "dc khong", "dc ko", "duoc ko",
        "co phai", "phai khong", "phai ko", "the nao a", "sao a", "tai sao", "vi sao", "gi a", "nhung gi", "can gi",
        "lam gi", "giay to gi", "thu tuc gi", "o dau a", "khong a", "ko a", "k a", "chua a", "chua nhi", "giup em",
        "giup toi", "giup minh", "giup voi", "huong dan", "chi giup", "chi em", "xin huong dan", "can hoi",
        "muon hoi", "hoi ve", "nho tu van", "tu van giup", "la sao", "sao lai", "co can", "phai lam", "lam the nao",
        "the nao ha", "nop o dau", "nop the nao", "mat bao lau", "het bao nhieu", "co mat phi", "mat phi",
    ];

    // Words that alone make a message small talk: greetings, thanks, acknowledgements, chat shorthand.
    private static readonly HashSet<string> SmallTalkWords =
    [
        "chao", "xin", "alo", "hi", "hello", "helo", "a", "ad", "admin", "ca", "nha", "moi", "nguoi", "em", "anh", "chi",
        "ban", "cam", "on", "cmon", "camon", "thanks", "thank", "thanks", "tks", "thx", "ty", "you", "nhieu", "rat",
        "ok", "oke", "okie", "okay", "ok", "vang", "da", "u", "uh", "um", "uk", "uhm", "duoc", "dc", "roi", "r", "nhe",
        "nhe", "nha", "a", "ah", "vay", "z", "the", "chuc", "buoi", "sang", "trua", "chieu", "toi", "ngay", "tot",
        "lanh", "oi", "mung", "to", "bac", "co", "chu", "ong", "ba", "chau", "minh", "toi", "e", "j", "hihi", "haha", "hehe",
        "great", "good", "nice", "tuyet", "voi", "qua", "hay", "dung", "biet", "hieu",
    ];

    public static MessageIntent Classify(string? text, bool mentionsBot = false, bool replyToBot = false)
    {
        var raw = text ?? "";
        var folded = VietnameseText.Fold(raw);
        if (folded.Length == 0)
        {
            return MessageIntent.SmallTalk;
        }
        if (IsSmallTalk(folded))
        {
            return MessageIntent.SmallTalk;
        }
        if (mentionsBot || replyToBot || raw.Contains('?') || raw.Contains('？'))
        {
            return MessageIntent.Question;
        }
        foreach (var phrase in QuestionPhrases)
        {
            if (VietnameseText.ContainsPhrase(folded, phrase))
            {
                return MessageIntent.Question;
            }
        }
        return MessageIntent.Chatter;
    }

    /// <summary>True when every word is a greeting, a thank-you or an acknowledgement.</summary>
    public static bool IsSmallTalk(string folded)
    {
        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 8 && words.All(SmallTalkWords.Contains);
    }
}
