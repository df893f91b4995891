using System.Diagnostics;
using System.Text;

namespace HelpBot.Tests.Support;

/// <summary>
/// HelpBot.dll, exactly as built beside the tests, run as a child process (<c>dotnet HelpBot.dll ...</c>) so a
/// test can kill it the hard way: <see cref="KillAsync"/> sends SIGKILL, as the OOM killer or a power cut would,
/// and nothing in the process gets to clean up. Its output is drained all the time (a full pipe would stall its
/// logging) and the last lines are kept for diagnostics.
/// </summary>
public sealed class HelpBotProcess : IAsyncDisposable
{
    private const int KeptLines = 300;

    // Inherited settings that would change what the child runs or where; the test passes everything it needs.
    private static readonly string[] DroppedPrefixes = ["HelpBot__", "ConnectionStrings__", "Logging__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS"];

    private readonly string _dll;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _workingDirectory;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private Process? _process;
    private int _errorLines;

    public HelpBotProcess(IReadOnlyList<string> arguments, string workingDirectory)
    {
        _dll = Path.Combine(AppContext.BaseDirectory, "HelpBot.dll");
        if (!File.Exists(_dll))
        {
            throw new FileNotFoundException($"HelpBot.dll is not in the test output folder {AppContext.BaseDirectory}; build the test project first.", _dll);
        }
        _arguments = arguments;
        _workingDirectory = workingDirectory;
    }

    /// <summary>How many times the child was started.</summary>
    public int Starts { get; private set; }

    /// <summary>Log lines at Error or Critical over all runs (the console logger writes them as "fail:" and "crit:").</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>True when the current child has ended without being killed by <see cref="KillAsync"/>.</summary>
    public bool HasExitedOnItsOwn => _process is { HasExited: true };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The previous HelpBot child is still there; kill it first.");
        }
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(_dll);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => DroppedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Workstation GC: several children over a run on a small CI machine, next to the test host.
        start.Environment["DOTNET_gcServer"] = "0";

        var run = ++Starts;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(run, "out", e.Data);
        process.ErrorDataReceived += (_, e) => Keep(run, "err", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL to the child (and anything it started), then waits, bounded, until it is gone.</summary>
    public async Task KillAsync(TimeSpan? timeout = null)
    {
        if (_process is not { } process)
        {
            return;
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
        using var bound = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The HelpBot child (pid {process.Id}) did not exit after SIGKILL.\n{Tail()}");
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>The last lines the children wrote, each prefixed with the run that wrote it.</summary>
    public string Tail(int lines = 60)
    {
        lock (_gate)
        {
            return string.Join('\n', _tail.TakeLast(lines));
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Keep(int run, string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)
            || line.StartsWith("Unhandled exception", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
        }
        lock (_gate)
        {
            _tail.Enqueue($"[run {run} {stream}] {line}");
            while (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }
        }
    }

    /// <summary>The dotnet executable that runs the tests: the SDK sets DOTNET_HOST_PATH for the processes it starts.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return "dotnet";
    }
}
