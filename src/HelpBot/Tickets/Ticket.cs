namespace HelpBot.Tickets;

public enum TicketState { New, Claimed, Answered, Resolved, Reopened, Cancelled }

/// <summary>Who did something: a channel user, or the bot itself.</summary>
public sealed record Actor(string Id, string Name)
{
    public static readonly Actor System = new("system", "HelpBot");

    public static Actor Of(string channel, string userId, string name) => new($"{channel}:{userId}", name);
}

/// <summary>A citizen's question and everything that happened to it. The database row is the truth.</summary>
public sealed class Ticket
{
    public long Id { get; set; }
    public string Channel { get; set; } = "";
    public string ChatId { get; set; } = "";
    public string? ChatTitle { get; set; }
    public string ChatKind { get; set; } = "";
    public string MessageId { get; set; } = "";
    public string CitizenId { get; set; } = "";
    public string CitizenName { get; set; } = "";
    public string Question { get; set; } = "";
    public string Category { get; set; } = HelpBot.Categories.CategoryCatalog.Other;
    public TicketState State { get; set; }
    public string? AssigneeId { get; set; }
    public string? AssigneeName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public int ReopenCount { get; set; }
    public DateTimeOffset? FirstResponseDueAt { get; set; }
    public DateTimeOffset? FirstResponseRemindAt { get; set; }
    public DateTimeOffset? ResolutionDueAt { get; set; }
    public DateTimeOffset? ResolutionRemindAt { get; set; }
    public long? FirstResponseWorkSeconds { get; set; }
    public long? ResolutionWorkSeconds { get; set; }
    /// <summary>Answered automatically from this FAQ entry.</summary>
    public long? FaqEntryId { get; set; }
    /// <summary>The citizen's satisfaction, 1 to 5.</summary>
    public int? Rating { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsOpen => State is not (TicketState.Resolved or TicketState.Cancelled);

    public bool IsPrivate => ChatKind == ChatKinds.Private;
}

/// <summary>One row of the audit trail.</summary>
public sealed record TicketEvent(
    long TicketId, DateTimeOffset At, string Kind, TicketState? From, TicketState? To, Actor Actor, string? Detail = null);

public static class ChatKinds
{
    public const string Private = "private";
    public const string Group = "group";
    public const string Staff = "staff";
}
