using System.ComponentModel.DataAnnotations;

namespace HelpBot;

/// <summary>The <c>HelpBot</c> configuration section, minus the channels, which bind their own.</summary>
public sealed class DeskOptions
{
    public const string Section = "HelpBot";

    /// <summary>Admins as <c>channel:user id</c>, e.g. <c>telegram:123456789</c>.</summary>
    public List<string> Admins { get; set; } = [];

    public TicketOptions Tickets { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();
}

public sealed class TicketOptions
{
    /// <summary>An answered ticket that the citizen has not disputed becomes Resolved after this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AutoResolveAfter { get; set; } = TimeSpan.FromDays(1);
}

public sealed class OutboxOptions
{
    /// <summary>A send that keeps failing for a temporary reason is parked as dead after this many tries.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The longest wait between two tries of one send.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many sends may be in flight at once, across all chats.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;
}
