using Microsoft.Extensions.Configuration;

namespace HelpBot.Hosting;

/// <summary>
/// How this process runs: on a real chat platform, or as the training sandbox. The sandbox is chosen
/// with <c>--sandbox</c>, or when no chat platform is configured at all, so a fresh clone does
/// something useful with one command. A half-configured platform is an error, never a silent sandbox.
/// </summary>
public sealed record HostMode(bool Sandbox, string? Seed, string[] HostArgs)
{
    public static HostMode From(string[] args, IConfiguration? environment = null)
    {
        var rest = new List<string>();
        var sandbox = false;
        string? seed = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sandbox":
                    sandbox = true;
                    break;
                case "--seed" when i + 1 < args.Length:
                    seed = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        var configuration = environment ?? new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(rest.ToArray())
            .Build();
        var telegram = configuration.GetSection("HelpBot:Telegram");
        var anyPlatform = !string.IsNullOrWhiteSpace(telegram["BotToken"])
            || !string.IsNullOrWhiteSpace(telegram["StaffChatId"])
            || telegram.GetSection("SupportChatIds").GetChildren().Any();
        return new HostMode(sandbox || !anyPlatform, seed, rest.ToArray());
    }
}
