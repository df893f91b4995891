using Microsoft.Extensions.Configuration;

namespace HelpBot.Hosting;

/// <summary>
/// How this process runs: on a real chat platform, or as the training sandbox. The sandbox is chosen
/// with <c>--sandbox</c>, or when no chat platform is configured at all, so a fresh clone does
/// something useful with one command. A half-configured platform is an error, never a silent sandbox.
/// Several platforms may run at once (citizens on Zalo, the team on Telegram).
/// </summary>
public sealed record HostMode(bool Sandbox, string? Seed, string[] HostArgs, IReadOnlySet<string> Platforms)
{
    public const string Telegram = "telegram";
    public const string ZaloBot = "zalo-bot";
    public const string ZaloOa = "zalo-oa";

    // A platform counts as configured when any of its identifying settings is set (0 and empty are the
    // example file's "unset"); its own validation then says what else is missing.
    private static readonly (string Platform, string Section, string[] Keys)[] PlatformKeys =
    [
        (Telegram, "HelpBot:Telegram", ["BotToken", "StaffChatId", "SupportChatIds"]),
        (ZaloBot, "HelpBot:Zalo:Bot", ["Token", "WebhookSecret", "SupportChatIds"]),
        (ZaloOa, "HelpBot:Zalo:OA", ["AppId", "SecretKey", "AppSecret", "RefreshToken"]),
    ];

    public bool Runs(string platform) => !Sandbox && Platforms.Contains(platform);

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
        var platforms = PlatformKeys
            .Where(p => p.Keys.Any(key => configuration.GetSection($"{p.Section}:{key}") is var s
                && ((!string.IsNullOrWhiteSpace(s.Value) && s.Value != "0") || s.GetChildren().Any())))
            .Select(p => p.Platform)
            .ToHashSet();
        return new HostMode(sandbox || platforms.Count == 0, seed, rest.ToArray(), platforms);
    }
}
