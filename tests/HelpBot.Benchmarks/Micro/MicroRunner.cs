using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace HelpBot.Benchmarks.Micro;

/// <summary>
/// <c>micro [--filter *]</c>: BenchmarkDotNet, in-process (no generated project to build on a 2-core machine)
/// with a short job: 3 warm-ups and 10 iterations of about 250 ms each.
/// </summary>
public static class MicroRunner
{
    public static int Run(string[] args)
    {
        var artifacts = Path.Combine(E2e.HelpBotApp.RepositoryRoot(), "tests", "HelpBot.Benchmarks", "bin", "BenchmarkDotNet.Artifacts");
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Brief)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary);
        Console.WriteLine($"HelpBot {Support.ProcessProbe.InProcessHelpBot()}; {Support.ProcessProbe.Machine()}; load average {Support.ProcessProbe.LoadAverage():0.00}");
        var summaries = BenchmarkSwitcher
            .FromTypes([typeof(ClassifyBenchmarks), typeof(InboxBatchBenchmarks), typeof(OutboxDrainBenchmarks), typeof(StatsBenchmarks)])
            .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
