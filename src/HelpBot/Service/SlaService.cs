using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Team;
using HelpBot.Text;
using HelpBot.Tickets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Service;

/// <summary>
/// Nobody waits unseen. Every minute (on <see cref="TimeProvider"/>): a reminder at 75 % of a target, to
/// the owner or, while nobody holds the ticket, to the staff chat; an escalation to the admins at the
/// breach; a claim left idle too long goes back to the queue. Each notice is recorded in sla_notices in
/// the same transaction as its message, so it goes out once, across restarts. Due times come from the
/// ticket row, never from memory.
/// </summary>
public sealed class SlaService(
    Database database,
    TicketDesk desk,
    WorkingCalendar calendar,
    Roles roles,
    OutboxSignal signal,
    IChatDirectory chats,
    IOptions<DeskOptions> options,
    Texts texts,
    TimeProvider time,
    ILogger<SlaService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async Task<int> CheckAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var idleAfter = options.Value.Tickets.ReleaseIdleAfter;
        var sent = 0;
        await using var s = await DeskSession.BeginAsync(database, cancellationToken);
        var admins = await AdminsAsync(s);
        foreach (var t in await s.ListServiceDueAsync(now, now - idleAfter, 500))
        {
            if (t.FirstResponseAt is null && t.FirstResponseDueAt is { } frDue)
            {
                sent += await TargetAsync(s, t, firstResponse: true, frDue, t.FirstResponseRemindAt, now, admins);
            }
            if (t.ResolutionDueAt is { } resDue)
            {
                sent += await TargetAsync(s, t, firstResponse: false, resDue, t.ResolutionRemindAt, now, admins);
            }
            if (t.State == TicketState.Claimed && t.AssigneeName is { } owner && calendar.Between(t.UpdatedAt, now) >= idleAfter
                && await s.TryRecordNoticeAsync(t.Id, "idle-release", t.UpdatedAt.ToUnixTimeMilliseconds(), now))
            {
                var idle = calendar.Between(t.UpdatedAt, now);
                var ownerId = t.AssigneeId;
                var machine = new TicketMachine(t, time);
                machine.Unclaim(Actor.System);
                await s.UpdateTicketAsync(t);
                await s.AddEventsAsync(machine.Events);
                await desk.EditCardAsync(s, t);
                await NoticeAsync(s, t, texts.IdleReleased(t.Id, owner, idle), OwnerMention(ownerId, owner));
                sent++;
            }
        }
        await s.CommitAsync(cancellationToken);
        if (s.EnqueuedAny)
        {
            signal.Notify();
        }
        if (sent > 0)
        {
            logger.LogInformation("Sent {Count} service-level notices", sent);
        }
        return sent;
    }

    private async Task<int> TargetAsync(DeskSession s, Ticket t, bool firstResponse, DateTimeOffset due, DateTimeOffset? remindAt, DateTimeOffset now,
        IReadOnlyList<(string UserId, string Name)> admins)
    {
        var prefix = firstResponse ? "first-response" : "resolution";
        var owner = t.State == TicketState.New ? null : t.AssigneeName;
        if (due <= now)
        {
            // Past the breach the reminder is moot: mark it as done so it never arrives late.
            await s.TryRecordNoticeAsync(t.Id, $"{prefix}-reminder", t.ReopenCount, now);
            if (await s.TryRecordNoticeAsync(t.Id, $"{prefix}-breach", t.ReopenCount, now))
            {
                await NoticeAsync(s, t, texts.SlaBreach(t.Id, firstResponse, owner, due, admins.Select(a => a.Name).ToList()),
                    admins.Select(a => new OutboundMention(a.UserId, a.Name)).ToList());
                logger.LogWarning("Ticket {TicketId} breached its {Target} target", t.Id, prefix);
                return 1;
            }
            return 0;
        }
        if (remindAt <= now && await s.TryRecordNoticeAsync(t.Id, $"{prefix}-reminder", t.ReopenCount, now))
        {
            await NoticeAsync(s, t, texts.SlaReminder(t.Id, firstResponse, owner, due), owner is null ? null : OwnerMention(t.AssigneeId, owner));
            return 1;
        }
        return 0;
    }

    private Task NoticeAsync(DeskSession s, Ticket t, string text, IReadOnlyList<OutboundMention>? mentions) =>
        desk.ToStaffAsync(s, t.Id, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = text,
            ReplyTo = MessageRef.Linked(t.Id, LinkRoles.Card),
            Mentions = mentions is { Count: > 0 } ? mentions : null,
        });

    private IReadOnlyList<OutboundMention>? OwnerMention(string? assigneeId, string name)
    {
        var prefix = chats.Staff.Channel + ":";
        return assigneeId is not null && assigneeId.StartsWith(prefix, StringComparison.Ordinal)
            ? [new OutboundMention(assigneeId[prefix.Length..], name)]
            : null;
    }

    /// <summary>The admins on the staff chat's channel, by user id, with the names the roster knows.</summary>
    private async Task<IReadOnlyList<(string UserId, string Name)>> AdminsAsync(DeskSession s)
    {
        var channel = chats.Staff.Channel;
        var members = await s.ListMembersAsync();
        return members.Where(m => m.Channel == channel && (m.IsAdmin || roles.IsConfiguredAdmin(m.Channel, m.UserId)))
            .Select(m => (m.UserId, m.DisplayName))
            .Concat(options.Value.Admins
                .Select(a => a.Split(':', 2))
                .Where(p => p.Length == 2 && p[0] == channel && members.All(m => m.UserId != p[1] || m.Channel != channel))
                .Select(p => (p[1], texts.AdminFallbackName)))
            .ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Checking service levels failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }
}
