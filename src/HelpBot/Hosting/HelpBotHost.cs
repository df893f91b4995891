using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using HelpBot.Channels.Sandbox;
using HelpBot.Channels.Telegram;
using HelpBot.Channels.ZaloBot;
using HelpBot.Channels.ZaloOa;
using HelpBot.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HelpBot.Hosting;

/// <summary>Builds the HelpBot host: the same composition in production, in tests and in benchmarks.</summary>
public static class HelpBotHost
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var mode = HostMode.From(args);
        var builder = WebApplication.CreateSlimBuilder(mode.HostArgs);
        builder.Services.AddSingleton(mode);
        // SIGTERM: stop receiving, let sends in flight finish and be recorded, within a bound.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.AddHelpBotLogging();
        if (mode.Sandbox)
        {
            var sandbox = builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
            builder.WebHost.UseUrls(sandbox.Urls);
            // The sandbox never touches the production database, whatever ConnectionStrings:HelpBot says.
            builder.Services.AddStorage(sandbox.ConnectionString);
            builder.Services.AddDesk();
            builder.Services.AddSandboxChannel();
        }
        else
        {
            builder.WebHost.UseUrls(builder.Configuration["HelpBot:Http:Urls"] is { Length: > 0 } urls ? urls : DefaultUrls);
            builder.Services.AddStorage(builder.Configuration.GetConnectionString("HelpBot"));
            builder.Services.AddDesk();
            if (mode.Runs(HostMode.Telegram))
            {
                builder.Services.AddTelegramChannel(ReadTelegramMode(builder.Configuration));
            }
            if (mode.Runs(HostMode.ZaloBot)) builder.Services.AddZaloBotChannel(builder.Configuration);
            if (mode.Runs(HostMode.ZaloOa)) builder.Services.AddZaloOaChannel();
        }
        customize?.Invoke(builder);

        var app = builder.Build();
        // Validate now, before the host starts, so a missing setting is one clear line and not a hosting failure.
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // "Failed to convert configuration value 'x' at 'HelpBot:...' to type ..." names the key already.
            throw new OptionsValidationException(Options.DefaultName, typeof(DeskOptions), [$"{ex.Message} Correct it, or remove it to use the default."]);
        }
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        if (mode.Sandbox)
        {
            app.MapSandbox();
        }
        // Each channel that receives by webhook maps its own path (a contract operators register with the platform).
        foreach (var webhook in app.Services.GetServices<IWebhookEndpoint>())
        {
            webhook.Map(app);
        }
        return app;
    }

    private static TelegramMode ReadTelegramMode(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(TelegramOptions.Section).GetValue<TelegramMode>(nameof(TelegramOptions.Mode));
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(TelegramOptions.Section, typeof(TelegramOptions),
                [$"HelpBot:Telegram:Mode must be Polling or Webhook ({ex.Message})"]);
        }
    }

    /// <summary>Builds, seeds if asked, starts, says where to look, and runs until stopped.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = Build(args);
        var mode = app.Services.GetRequiredService<HostMode>();
        if (mode.Seed is not null)
        {
            if (!mode.Sandbox || mode.Seed != "demo")
            {
                await Console.Error.WriteLineAsync("HelpBot cannot start: --seed demo fills the training sandbox only (add --sandbox).");
                return 2;
            }
            await app.Services.GetRequiredService<Migrator>().MigrateAsync();
            await app.Services.GetRequiredService<DemoSeeder>().SeedAsync();
        }
        await app.StartAsync();
        app.Logger.LogInformation("Runtime: {Runtime}", RuntimeSummary());
        var url = app.Urls.FirstOrDefault() ?? "";
        var channels = app.Services.GetRequiredService<HelpBot.Inbox.IChatDirectory>().Channels;
        Console.WriteLine(mode.Sandbox
            ? $"HelpBot sandbox is running (no chat platform configured). Open {url} in your browser. Ctrl+C stops it."
            : $"HelpBot is running on {string.Join(", ", channels.Select(ChannelName))}. Health: {url}/healthz. Ctrl+C stops it.");
        await app.WaitForShutdownAsync();
        return Environment.ExitCode;
    }

    /// <summary>
    /// What the process runs on, for the start-up log line: the build (JIT or the native executable), the GC, and the most
    /// gen 0 may take before a collection. The native build carries a 6 MiB budget (HelpBot.csproj); a publish that lost it
    /// shows the GC's own choice here (16 MiB on a CPU with a 32 MiB L3 cache), and the benchmarks' `native` verb fails.
    /// </summary>
    internal static string RuntimeSummary()
    {
        var gen0 = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && value is long bytes
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
            : "unknown";
        return string.Create(CultureInfo.InvariantCulture,
            $".NET {Environment.Version}, {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, gen-0 budget up to {gen0}");
    }

    private static string ChannelName(string channel) => channel switch
    {
        HostMode.Telegram => "Telegram",
        HostMode.ZaloBot => "Zalo (Bot Platform)",
        HostMode.ZaloOa => "Zalo (Official Account)",
        _ => channel,
    };

    public static void AddHelpBotLogging(this IHostApplicationBuilder builder, bool toStandardError = false)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        if (toStandardError)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        // Request URLs of the Bot API contain the token: keep HTTP client logging quiet whatever else is configured.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }
}
