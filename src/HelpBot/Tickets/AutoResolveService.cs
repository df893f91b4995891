using HelpBot.Outbox;
using HelpBot.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Tickets;

/// <summary>
/// Resolves answered tickets the citizen has not disputed within <see cref="TicketOptions.AutoResolveAfter"/>.
/// The due moment is derived from the stored answer time, so a restart loses nothing.
/// </summary>
public sealed class AutoResolveService(
    Database database, TicketDesk desk, OutboxSignal signal, IOptions<DeskOptions> options, TimeProvider time, ILogger<AutoResolveService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async Task<int> ResolveDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var session = await DeskSession.BeginAsync(database, cancellationToken);
            var due = await session.ListAnsweredBeforeAsync(time.GetUtcNow() - options.Value.Tickets.AutoResolveAfter, 200);
            foreach (var ticket in due)
            {
                await desk.ResolveAsync(session, ticket, Actor.System, "auto", byCitizen: false);
            }
            await session.CommitAsync(cancellationToken);
            if (session.EnqueuedAny)
            {
                signal.Notify();
            }
            total += due.Count;
            if (due.Count < 200)
            {
                if (total > 0)
                {
                    logger.LogInformation("Resolved {Count} answered tickets nobody disputed", total);
                }
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await ResolveDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Auto-resolving answered tickets failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }
}
