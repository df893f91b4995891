namespace HelpBot;

/// <summary>The <c>HelpBot</c> configuration section, minus the channels, which bind their own.</summary>
public sealed class DeskOptions
{
    public const string Section = "HelpBot";

    /// <summary>Admins as <c>channel:user id</c>, e.g. <c>telegram:123456789</c>.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>The language of every text people read: vi (default) or en.</summary>
    public string Language { get; set; } = "vi";

    public TicketOptions Tickets { get; set; } = new();

    public HelpBot.Inbox.FloodOptions Flood { get; set; } = new();

    /// <summary>Village teams' chats for home visits (name and chat id, on the staff chat's channel).</summary>
    public List<HelpBot.Service.Village> Villages { get; set; } = [];

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>The response team's staff chat, on any running channel.</summary>
    public StaffOptions Staff { get; set; } = new();
}

/// <summary>
/// <c>HelpBot:Staff</c>: where the team works. Optional while one channel names its own staff chat
/// (<c>HelpBot:Telegram:StaffChatId</c>); needed to put the team on another channel than the citizens'.
/// </summary>
public sealed class StaffOptions
{
    /// <summary>telegram, zalo-bot or zalo-oa.</summary>
    public string? Channel { get; set; }

    /// <summary>The staff group's id on that channel.</summary>
    public string? ChatId { get; set; }
}

public sealed class TicketOptions
{
    /// <summary>An answered ticket that the citizen has not disputed becomes Resolved after this long.</summary>
    public TimeSpan AutoResolveAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A claimed ticket with no activity for this much working time goes back to the queue.</summary>
    public TimeSpan ReleaseIdleAfter { get; set; } = TimeSpan.FromHours(4);
}

public sealed class OutboxOptions
{
    /// <summary>A send that keeps failing for a temporary reason is parked as dead after this many tries.</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The longest wait between two tries of one send.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    // More sends in flight is more throughput, and more messages sent twice when the process dies between a send and
    // its record (Telegram has no idempotency key). With the platforms' limits on (the defaults) the budgets start at
    // most 30 (Telegram), 10 (Zalo Bot) and 60 (Zalo OA) sends a second: with all three busy and round trips of 300 ms,
    // about 30 in flight, so the cap rarely binds. It binds with the limits off, where a slot stays taken until the
    // dispatcher records its send, and that record waits behind the inbox's transaction at the write gate: 16 slots
    // left a 2-core machine about a fifth idle in a 5,000-question burst; 32 gave 10-15 % more tickets a second
    // (benchmarks' README, session 6).
    public const int DefaultConcurrency = 32;

    /// <summary>How many sends may be in flight at once, across all chats.</summary>
    public int Concurrency { get; set; } = DefaultConcurrency;
}
