using BenchmarkDotNet.Attributes;
using HelpBot.Inbox;
using HelpBot.Text;

namespace HelpBot.Benchmarks.Micro;

/// <summary>Reading one citizen message: folding Vietnamese and deciding whether it asks something.</summary>
[MemoryDiagnoser]
public class ClassifyBenchmarks
{
    public static IEnumerable<string> Messages =>
    [
        // A question with diacritics and a question mark: decided early.
        "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ?",
        // Without diacritics or question mark: found by a question phrase.
        "cho hoi lam so do dat mat bao lau a",
        // Thanks: small talk.
        "Dạ em cảm ơn cán bộ nhiều ạ",
        // Long chatter: every phrase is tried and none matches (the worst case).
        "Hôm nay trời mưa to quá, đường vào thôn Nà Sáng bị ngập rồi, bà con đi lại cẩn thận, xe máy không qua được cầu tràn đâu",
    ];

    [Benchmark]
    [ArgumentsSource(nameof(Messages))]
    public string Fold(string message) => VietnameseText.Fold(message);

    [Benchmark]
    [ArgumentsSource(nameof(Messages))]
    public MessageIntent Classify(string message) => QuestionDetector.Classify(message);
}
