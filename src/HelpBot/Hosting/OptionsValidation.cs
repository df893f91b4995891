using HelpBot.Channels.Telegram;
using Microsoft.Extensions.Options;

namespace HelpBot.Hosting;

/// <summary>Each failure names the key and how to set it, so start-up stops with one clear line.</summary>
public sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.BotToken))
        {
            failures.Add(Missing("HelpBot:Telegram:BotToken", "the token BotFather gave you"));
        }
        else if (!o.BotToken.Contains(':', StringComparison.Ordinal) || o.BotToken.Any(char.IsWhiteSpace))
        {
            failures.Add("HelpBot:Telegram:BotToken is not a bot token (expected the form 123456:ABC...); set HelpBot__Telegram__BotToken.");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"HelpBot:Telegram:ApiBaseUrl must be an http(s) URL; set HelpBot__Telegram__ApiBaseUrl.");
        }
        if (o.SupportChatIds.Contains(o.StaffChatId) && o.StaffChatId != 0)
        {
            failures.Add("HelpBot:Telegram:SupportChatIds must not contain the staff chat (HelpBot:Telegram:StaffChatId): citizens would see the team's cards.");
        }
        if (o.Limits.Problem(TelegramOptions.Section) is { } limits)
        {
            failures.Add(limits);
        }
        if (o.Mode == TelegramMode.Webhook)
        {
            if (!Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var hook) || hook.Scheme is not ("https" or "http"))
            {
                failures.Add("HelpBot:Telegram:WebhookUrl must be the public https address ending in /webhooks/telegram when HelpBot:Telegram:Mode is Webhook.");
            }
            if (string.IsNullOrEmpty(o.WebhookSecret) || o.WebhookSecret.Length > 256
                || !o.WebhookSecret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                failures.Add("HelpBot:Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and - when HelpBot:Telegram:Mode is Webhook; set HelpBot__Telegram__WebhookSecret.");
            }
        }
        if (o.PollTimeoutSeconds is < 0 or > 50)
        {
            failures.Add("HelpBot:Telegram:PollTimeoutSeconds must be between 0 and 50.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Missing(string key, string what) =>
        $"{key} is not set: it is {what}. Set the environment variable {key.Replace(":", "__", StringComparison.Ordinal)} or add it to appsettings.json.";
}

public sealed class DeskOptionsValidator(IEnumerable<HelpBot.Inbox.ChannelChats> channels) : IValidateOptions<DeskOptions>
{
    public ValidateOptionsResult Validate(string? name, DeskOptions o)
    {
        var failures = new List<string>();
        if (HelpBot.Inbox.ChatDirectory.StaffProblem(channels, o.Staff) is { } staff)
        {
            failures.Add(staff);
        }
        foreach (var admin in o.Admins)
        {
            var parts = admin.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
                || (parts[0] == "telegram" && !long.TryParse(parts[1], out _)))
            {
                failures.Add($"HelpBot:Admins has \"{admin}\"; each admin is channel:user id, e.g. telegram:123456789.");
            }
        }
        if (o.Language is not ("vi" or "en"))
        {
            failures.Add($"HelpBot:Language is \"{o.Language}\"; it must be vi (Vietnamese) or en (English).");
        }
        if (o.Tickets.AutoResolveAfter <= TimeSpan.Zero)
        {
            failures.Add("HelpBot:Tickets:AutoResolveAfter must be a positive duration such as 1.00:00:00 (one day).");
        }
        if (o.Tickets.ReleaseIdleAfter <= TimeSpan.Zero)
        {
            failures.Add("HelpBot:Tickets:ReleaseIdleAfter must be a positive duration of working time such as 04:00:00.");
        }
        if (o.Outbox.MaxAttempts < 1)
        {
            failures.Add("HelpBot:Outbox:MaxAttempts must be 1 or more.");
        }
        if (o.Outbox.Concurrency < 1)
        {
            failures.Add("HelpBot:Outbox:Concurrency must be 1 or more.");
        }
        if (o.Outbox.MaxBackoff <= TimeSpan.Zero)
        {
            failures.Add("HelpBot:Outbox:MaxBackoff must be a positive duration.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
