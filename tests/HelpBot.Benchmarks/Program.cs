using HelpBot.Benchmarks.E2e;
using HelpBot.Benchmarks.Growth;
using HelpBot.Benchmarks.Micro;
using HelpBot.Benchmarks.Support;

const string Usage = """
    HelpBot benchmarks (run with: dotnet run -c Release --project tests/HelpBot.Benchmarks -- COMMAND ...)
    HelpBot is published in Release from the work tree (--from-head: from the last commit, via git archive);
    --no-publish reuses the last published build.

      e2e      [--questions 5000] [--rate 0|50] [--staff 4] [--existing 0] [--timeout 600] [--json path]
               [--no-publish | --from-head | --dll path [--apphost]] [--perf perf.data] [--server-gc] [--env NAME=VALUE,...]
               the real HelpBot (child process) against a fast fake Bot API; tickets/s, latency, CPU, memory
      startup  [--runs 10] [--no-publish | --from-head] [--env NAME=VALUE,...] [--dll path [--apphost]] [--json path]
               launch → first getUpdates of the published Release build
      native   [--timeout 60] [--no-publish | --from-head | --dll path [--apphost]]
               smoke test of the native (AOT) build: one update of each kind Telegram sends; fails on a missing reaction
               or an error/unreadable update in HelpBot's log
      micro    [BenchmarkDotNet arguments, e.g. --filter *Classify*]
               classify, one inbox batch commit, /stats month
      generate --tickets 100000 --path helpbot.db [--no-traffic] [--per-day 110]
               writes a database of generated tickets, to look at by hand (sqlite3, /stats, export)
      growth   [--sizes 1000,10000,100000,1000000] [--per-day 110] [--e2e-questions 0] [--e2e-up-to 100000] [--from-head] [--json path]
               /stats month and CSV export over generated databases (and optionally the e2e run over them)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    return args[0] switch
    {
        "e2e" => await LoadRun.MainAsync(new Options(args[1..])),
        "startup" => await StartupRun.MainAsync(new Options(args[1..])),
        "native" => await NativeSmokeRun.MainAsync(new Options(args[1..])),
        "growth" => await GrowthTable.MainAsync(new Options(args[1..])),
        "micro" => MicroRunner.Run(args[1..]),
        "generate" => await GrowthTable.GenerateAsync(new Options(args[1..])),
        _ => throw new ArgumentException($"Unknown command '{args[0]}'."),
    };
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}
