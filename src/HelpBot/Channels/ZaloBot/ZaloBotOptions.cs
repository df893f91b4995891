using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

/// <summary>The <c>HelpBot:Zalo:Bot</c> section: a bot of the Zalo Bot Platform (bot.zaloplatforms.com).</summary>
public sealed class ZaloBotOptions
{
    public const string Section = "HelpBot:Zalo:Bot";

    /// <summary>From Zalo Bot Creator, the form 12345689:abc-xyz. A secret: set HelpBot__Zalo__Bot__Token or user-secrets.</summary>
    public string? Token { get; set; }

    /// <summary>The API host; bot-api.zapps.me is the older name of the same service.</summary>
    public string ApiBaseUrl { get; set; } = "https://bot-api.zaloplatforms.com";

    /// <summary>Webhook (Zalo posts to /webhooks/zalo-bot; for production) or Polling (getUpdates; for development only).</summary>
    public ZaloBotMode Mode { get; set; } = ZaloBotMode.Webhook;

    /// <summary>The public HTTPS address Zalo posts updates to, ending in /webhooks/zalo-bot; registered with setWebhook at start.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Sent by Zalo in X-Bot-Api-Secret-Token with every update; 8–256 of A–Z, a–z, 0–9, _ and -.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The Zalo groups the bot serves (chat.id of a GROUP chat). Private chats with the bot are always served.</summary>
    public List<string> SupportChatIds { get; set; } = [];

    /// <summary>The response team's Zalo group, when the team works on Zalo (else HelpBot:Staff names a chat on another channel).</summary>
    public string? StaffChatId { get; set; }

    /// <summary>
    /// Zalo documents no numbers, only "429 Quota exceeded", and throttles bursts at its nginx: the defaults stay
    /// within Telegram's limits, which the Telegram-derived Bot Platform is unlikely to be looser than.
    /// </summary>
    public HelpBot.Outbox.SendLimitOptions Limits { get; set; } = new() { GlobalPerSecond = 10, PerChatPerSecond = 1, PerGroupPerMinute = 20 };

    /// <summary>How long one getUpdates call waits for news (Polling mode).</summary>
    public int PollTimeoutSeconds { get; set; } = 30;
}

public enum ZaloBotMode { Webhook, Polling }


/// <summary>Each failure names the key and how to set it, so start-up stops with one clear line.</summary>
public sealed class ZaloBotOptionsValidator : IValidateOptions<ZaloBotOptions>
{
    public ValidateOptionsResult Validate(string? name, ZaloBotOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Token))
        {
            failures.Add("HelpBot:Zalo:Bot:Token is not set: it is the token Zalo Bot Creator gave you. Set the environment variable HelpBot__Zalo__Bot__Token or add it to user-secrets.");
        }
        else if (!o.Token.Contains(':', StringComparison.Ordinal) || o.Token.Any(char.IsWhiteSpace) || o.Token.Contains('/', StringComparison.Ordinal))
        {
            failures.Add("HelpBot:Zalo:Bot:Token is not a Zalo bot token (expected the form 12345689:abc-xyz); set HelpBot__Zalo__Bot__Token.");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            failures.Add("HelpBot:Zalo:Bot:ApiBaseUrl must be an http(s) URL such as https://bot-api.zaloplatforms.com; set HelpBot__Zalo__Bot__ApiBaseUrl.");
        }
        if (o.Mode == ZaloBotMode.Webhook)
        {
            if (!Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var hook) || hook.Scheme != "https"
                || !hook.AbsolutePath.TrimEnd('/').EndsWith(ZaloBotWebhook.Path, StringComparison.Ordinal))
            {
                failures.Add($"HelpBot:Zalo:Bot:WebhookUrl must be the public https address ending in {ZaloBotWebhook.Path} when HelpBot:Zalo:Bot:Mode is Webhook; set HelpBot__Zalo__Bot__WebhookUrl.");
            }
            if (string.IsNullOrEmpty(o.WebhookSecret) || o.WebhookSecret.Length is < 8 or > 256
                || !o.WebhookSecret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                failures.Add("HelpBot:Zalo:Bot:WebhookSecret must be 8-256 characters of A-Z, a-z, 0-9, _ and - when HelpBot:Zalo:Bot:Mode is Webhook; set HelpBot__Zalo__Bot__WebhookSecret.");
            }
        }
        if (o.SupportChatIds.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("HelpBot:Zalo:Bot:SupportChatIds has an empty entry; each is a Zalo group's chat id.");
        }
        if (!string.IsNullOrWhiteSpace(o.StaffChatId) && o.SupportChatIds.Contains(o.StaffChatId.Trim()))
        {
            failures.Add("HelpBot:Zalo:Bot:SupportChatIds must not contain the staff chat (HelpBot:Zalo:Bot:StaffChatId): citizens would see the team's cards.");
        }
        if (o.Limits.Problem(ZaloBotOptions.Section) is { } limits)
        {
            failures.Add(limits);
        }
        if (o.PollTimeoutSeconds is < 1 or > 60)
        {
            failures.Add("HelpBot:Zalo:Bot:PollTimeoutSeconds must be between 1 and 60.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
