using System.Diagnostics;

namespace HelpBot.Benchmarks.Support;

/// <summary>Latency figures in milliseconds; percentiles are nearest-rank, as HelpBot's own reports are.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    public static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static double Median(IEnumerable<double> values) => Of(values).P50;
}

public static class Clock
{
    public static double MillisecondsBetween(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double SecondsBetween(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
