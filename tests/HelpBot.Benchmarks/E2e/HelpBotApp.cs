using System.Diagnostics;
using System.Globalization;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// The real HelpBot, published in Release and run as a child process (its apphost <c>HelpBot</c>, as the
/// Dockerfile runs it) so that its CPU time and peak memory are its own, apart from the fake server's.
/// </summary>
public sealed class HelpBotApp : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private HelpBotApp(Process process, long launchedAt, string logPath)
    {
        _process = process;
        LaunchedAt = launchedAt;
        LogPath = logPath;
    }

    /// <summary>The commit the published HelpBot was built from (set by <see cref="PublishAsync"/>).</summary>
    public static string BuiltFrom { get; private set; } = "unknown";

    public int Pid => _process.Id;
    public long LaunchedAt { get; }
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HelpBot.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Cannot find HelpBot.sln above the current directory; run from the repository.");
    }

    /// <summary>
    /// Publishes src/HelpBot in Release for this machine's platform, as the Dockerfile does (the publish settings,
    /// one native executable through Native AOT, are HelpBot.csproj's; it needs clang: apt-get install clang), into the
    /// benchmark project's bin folder, with its own intermediate folder (--artifacts-path) so it never touches
    /// src/HelpBot/obj while others build there. Returns the executable; run it with <see cref="Start"/> and apphost,
    /// as the Docker image does.
    /// </summary>
    public static async Task<string> PublishAsync(bool skipIfPresent, bool fromHead = false)
    {
        var root = RepositoryRoot();
        var source = root;
        const string name = "helpbot-publish";
        var output = Path.Combine(root, "tests", "HelpBot.Benchmarks", "bin", name);
        var dll = Path.Combine(output, "HelpBot");
        var versionFile = Path.Combine(output, "helpbot-source-version.txt");
        if (skipIfPresent && File.Exists(dll))
        {
            BuiltFrom = File.Exists(versionFile) ? (await File.ReadAllTextAsync(versionFile)).Trim() : "unknown";
            return dll;
        }
        var version = Support.ProcessProbe.SourceVersion();
        if (fromHead)
        {
            // The committed code only, exported read-only with git archive: others may be editing the work tree.
            source = Path.Combine(root, "tests", "HelpBot.Benchmarks", "obj", "helpbot-head-source");
            if (Directory.Exists(source))
            {
                Directory.Delete(source, recursive: true);
            }
            Directory.CreateDirectory(source);
            await RunAsync("/bin/sh", root, "-c", "git archive --format=tar HEAD src Directory.Build.props Directory.Packages.props .editorconfig | tar -x -C \"$0\"", source);
            version = version.Replace("+dirty", "", StringComparison.Ordinal) + " (HEAD, committed code only)";
        }
        if (Directory.Exists(output))
        {
            // Nothing of an earlier build (another publish mode) may be left beside the new one.
            Directory.Delete(output, recursive: true);
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in new[]
                 {
                     "publish", Path.Combine(source, "src", "HelpBot", "HelpBot.csproj"), "-c", "Release", "-o", output,
                     "--artifacts-path", Path.Combine(root, "tests", "HelpBot.Benchmarks", "obj", name), "--nologo", "-v", "q",
                     "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier,
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        await Console.Error.WriteLineAsync($"Publishing HelpBot (Release, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}, as the Dockerfile) to {output} …");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        await File.WriteAllTextAsync(versionFile, version);
        BuiltFrom = version;
        return dll;
    }

    private static async Task RunAsync(string file, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await stderr}");
        }
    }

    /// <summary>
    /// Starts HelpBot (its apphost, or <c>dotnet HelpBot.dll</c>) with the settings as command-line arguments. The shell only redirects
    /// the output to a file and then execs, so the pid is HelpBot's own.
    /// </summary>
    public static HelpBotApp Start(string dll, IReadOnlyDictionary<string, string> settings, string workDir, IReadOnlyDictionary<string, string>? environment = null, bool apphost = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = Path.Combine(workDir, "helpbot.log");
        // Laid out as the Docker image runs it: the application folder is the content root (HelpBot watches its
        // appsettings.json there) and the database lives elsewhere, so database writes wake no file watcher.
        var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" >\"$HELPBOT_BENCH_LOG\" 2>&1 </dev/null");
        psi.ArgumentList.Add("sh");
        if (apphost)
        {
            psi.ArgumentList.Add(Path.ChangeExtension(dll, null));
        }
        else
        {
            psi.ArgumentList.Add("dotnet");
            psi.ArgumentList.Add(dll);
        }
        foreach (var (key, value) in settings)
        {
            psi.ArgumentList.Add($"--{key}={value}");
        }
        psi.Environment["HELPBOT_BENCH_LOG"] = log;
        // As the Dockerfile runs it: workstation GC (the Web SDK's default would be server GC), two malloc arenas.
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["MALLOC_ARENA_MAX"] = "2";
        psi.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        psi.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        var launchedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start HelpBot.");
        return new HelpBotApp(process, launchedAt, log);
    }

    public static Dictionary<string, string> Settings(string token, string apiBaseUrl, Chats chats, string databasePath) => new()
    {
        ["HelpBot:Telegram:BotToken"] = token,
        ["HelpBot:Telegram:ApiBaseUrl"] = apiBaseUrl,
        ["HelpBot:Telegram:StaffChatId"] = chats.StaffChatId.ToString(CultureInfo.InvariantCulture),
        ["HelpBot:Telegram:SupportChatIds:0"] = chats.GroupChatId.ToString(CultureInfo.InvariantCulture),
        ["HelpBot:Telegram:Limits:GlobalPerSecond"] = "0",
        ["HelpBot:Telegram:Limits:PerChatPerSecond"] = "0",
        ["HelpBot:Telegram:Limits:PerGroupPerMinute"] = "0",
        ["HelpBot:Telegram:PollTimeoutSeconds"] = "5",
        ["HelpBot:Http:Urls"] = "http://127.0.0.1:0",
        ["ConnectionStrings:HelpBot"] = $"Data Source={databasePath}",
    };

    /// <summary>Log lines by level ("info", "warn", "fail", "crit"), for spotting errors a run hid.</summary>
    public IReadOnlyDictionary<string, int> LogLevels()
    {
        var counts = new Dictionary<string, int>();
        if (!File.Exists(LogPath))
        {
            return counts;
        }
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            foreach (var level in new[] { "info:", "warn:", "fail:", "crit:", "dbug:", "trce:" })
            {
                if (line.Contains(level, StringComparison.Ordinal))
                {
                    counts[level.TrimEnd(':')] = counts.GetValueOrDefault(level.TrimEnd(':')) + 1;
                    break;
                }
            }
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
