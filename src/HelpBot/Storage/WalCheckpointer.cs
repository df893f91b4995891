using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HelpBot.Storage;

/// <summary>
/// Checkpoints the WAL off the path of questions and answers. Left to SQLite, the commit that crosses 1,000 pages
/// copies the WAL into the database and syncs the file, and the inbox or the outbox waits for the disk meanwhile;
/// here the connections leave that to this loop (<see cref="Database.CheckpointsInBackground"/>), which copies
/// a few times a second without blocking anyone, and holds the writers back only to cut a WAL that grew
/// (<see cref="Database.CheckpointAsync"/>).
/// </summary>
public sealed class WalCheckpointer(Database database, TimeProvider time, ILogger<WalCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(failures == 0 ? Interval : TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), time, stoppingToken);
                await database.CheckpointAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The commits are safe in the WAL whatever happens here; only its size is at stake.
                failures++;
                logger.LogWarning(ex, "Checkpointing the database's write-ahead log failed ({Failures} in a row)", failures);
            }
        }
    }
}
