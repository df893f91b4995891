using System.Diagnostics;
using System.Globalization;

namespace HelpBot.Benchmarks.Support;

/// <summary>CPU time (user + system) and memory of a process, read from /proc so a child is measured apart from us.</summary>
public readonly record struct CpuSample(double UserSeconds, double SystemSeconds)
{
    public double TotalSeconds => UserSeconds + SystemSeconds;

    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.UserSeconds - b.UserSeconds, a.SystemSeconds - b.SystemSeconds);
}

public static class ProcessProbe
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100.0;

    public static CpuSample Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new CpuSample(user / TicksPerSecond, system / TicksPerSecond);
    }

    public static CpuSample Self()
    {
        using var me = Process.GetCurrentProcess();
        return new CpuSample(me.UserProcessorTime.TotalSeconds, me.PrivilegedProcessorTime.TotalSeconds);
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in bytes: VmHWM is the peak resident set, VmRSS the current one.</summary>
    public static long StatusBytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim();
                var kb = value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3].Trim() : value;
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return -1;
    }

    public static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return FormattableString.Invariant($"{Environment.ProcessorCount} cores, {model ?? "unknown CPU"}, {memory ?? "?"} RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>The commit HelpBot was built from, with "+dirty" when src/ has uncommitted changes (read-only git calls).</summary>
    public static string SourceVersion()
    {
        try
        {
            var root = E2e.HelpBotApp.RepositoryRoot();
            var head = Git(root, "rev-parse", "--short", "HEAD").Trim();
            var dirty = Git(root, "status", "--porcelain", "--", "src").Trim().Length > 0;
            return head + (dirty ? "+dirty" : "");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The HelpBot assembly this process calls in-process (micro, growth): the commit in its version and its build time.</summary>
    public static string InProcessHelpBot()
    {
        var assembly = typeof(HelpBot.Hosting.HelpBotHost).Assembly;
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var commit = plus >= 0 && informational.Length >= plus + 8 ? informational.Substring(plus + 1, 7) : "unknown";
        var built = File.GetLastWriteTimeUtc(assembly.Location);
        return FormattableString.Invariant($"{commit} (work tree, built {built:yyyy-MM-dd HH:mm} UTC)");
    }

    private static string Git(string root, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var git = Process.Start(psi) ?? throw new InvalidOperationException("no git");
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit(10_000);
        return output;
    }

    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
}
