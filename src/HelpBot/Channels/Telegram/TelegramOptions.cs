namespace HelpBot.Channels.Telegram;

/// <summary>The <c>HelpBot:Telegram</c> section.</summary>
public sealed class TelegramOptions
{
    public const string Section = "HelpBot:Telegram";

    /// <summary>From BotFather. A secret: set it with the environment variable HelpBot__Telegram__BotToken or user-secrets.</summary>
    public string? BotToken { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>The response team's group, where ticket cards are posted.</summary>
    public long StaffChatId { get; set; }

    /// <summary>The public support groups the bot serves. Private chats with the bot are always served.</summary>
    public List<long> SupportChatIds { get; set; } = [];

    /// <summary>Telegram's documented limits: 30 messages a second, 1 a second per chat, 20 a minute per group.</summary>
    public HelpBot.Outbox.SendLimitOptions Limits { get; set; } = new() { GlobalPerSecond = 30, PerChatPerSecond = 1, PerGroupPerMinute = 20 };

    /// <summary>Polling (getUpdates; no public address needed) or Webhook (Telegram calls /webhooks/telegram).</summary>
    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>The public HTTPS address Telegram posts updates to, ending in /webhooks/telegram.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every update; 1–256 of A–Z, a–z, 0–9, _ and -.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How long one getUpdates call waits for news.</summary>
    public int PollTimeoutSeconds { get; set; } = 30;
}

public enum TelegramMode { Polling, Webhook }

