using System.Diagnostics;
using System.Globalization;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// Samples HelpBot with Linux perf for the load window (<c>e2e --perf out.data</c>); read it with
/// <c>perf report -i out.data --no-children --sort symbol</c>. JIT frames resolve through /tmp/perf-PID.map.
/// </summary>
public sealed class PerfRecorder : IDisposable
{
    private readonly Process _perf;

    private PerfRecorder(Process perf) => _perf = perf;

    public static PerfRecorder Start(int pid, string output)
    {
        var psi = new ProcessStartInfo("perf") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "record", "-F", "999", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", output })
        {
            psi.ArgumentList.Add(arg);
        }
        var perf = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start perf.");
        // perf needs a moment to attach before the load starts.
        Thread.Sleep(300);
        return new PerfRecorder(perf);
    }

    /// <summary>SIGINT, so perf writes its file out, then a bounded wait.</summary>
    public void Stop()
    {
        if (_perf.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-INT", _perf.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill?.WaitForExit(5000);
        }
        if (!_perf.WaitForExit(30_000))
        {
            _perf.Kill();
        }
    }

    public void Dispose()
    {
        Stop();
        _perf.Dispose();
    }
}
