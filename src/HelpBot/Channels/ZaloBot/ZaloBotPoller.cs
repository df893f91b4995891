using System.Text.Json;
using HelpBot.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

/// <summary>
/// Polling mode, for development: getUpdates returns one update per call and has no offset, so an update
/// it returned is never returned again. Each one is committed through the inbox (retrying until it is)
/// before the next call; the inbox drops a message delivered twice by its event name and message id.
/// </summary>
public sealed class ZaloBotPoller(
    ZaloBotClient client,
    ZaloBot bot,
    ZaloBotUpdateReader reader,
    InboxProcessor inbox,
    IOptions<ZaloBotOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ZaloBotPoller> logger) : BackgroundService
{
    /// <summary>
    /// The least time between two getUpdates calls that came back at once with nothing new (an early 408, or an
    /// update already stored: getUpdates has been seen replaying one on every call). Wall-clock pacing of HTTP
    /// calls, like a client timeout, not business time: it keeps a misbehaving server from being called in a loop.
    /// </summary>
    public static readonly TimeSpan MinIdleInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _stored = [];
    private readonly Queue<string> _storedOrder = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bot.ConnectAsync(stoppingToken);
            // getUpdates is refused while a webhook is set. Mode=Polling says this process receives by polling,
            // so a webhook left from another run is removed (as the Telegram poller does), once, and said so.
            await bot.UntilDoneAsync("deleteWebhook", client.DeleteWebhookAsync, stoppingToken);
            logger.LogWarning("Zalo Bot polling (development mode): any webhook registered for this bot was removed; set HelpBot:Zalo:Bot:Mode=Webhook in production");
            await PollAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ZaloBotApiException ex) when (ex.ErrorCode == 401)
        {
            // A wrong token makes the whole process useless: stop on purpose, with a line that says why.
            logger.LogCritical("Zalo refused the bot token (401 {Error}). Check HelpBot:Zalo:Bot:Token; stopping", ex.Description);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            JsonElement? update;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                update = await client.GetUpdateAsync(options.Value.PollTimeoutSeconds, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ZaloBotApiException ex) when (ex.ErrorCode == 401)
            {
                throw;
            }
            catch (ZaloBotApiException ex)
            {
                failures++;
                var delay = ReconnectDelay.After(failures);
                if (ex.IsWebhookSet)
                {
                    logger.LogError("Zalo refuses getUpdates because a webhook is set for this bot (another HelpBot in Webhook mode?). Remove it with deleteWebhook, or run this one with HelpBot:Zalo:Bot:Mode=Webhook; retrying in {Delay}", delay);
                }
                else
                {
                    logger.LogError(ex, "Zalo Bot polling failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                }
                await Task.Delay(delay, time, stoppingToken);
                continue;
            }
            if (update is not { } raw)
            {
                // 408: nothing new within the timeout; Zalo itself waited (unless it answered at once).
                await PaceAsync(started, stoppingToken);
                continue;
            }
            InboundEvent? e;
            try
            {
                e = reader.Read(raw);
            }
            catch (JsonException ex)
            {
                // Logged without the update's content: it may hold a citizen's personal data.
                logger.LogWarning("Skipped a malformed Zalo Bot update: {Error}", ex.GetType().Name);
                continue;
            }
            if (e is not null && _stored.Contains(e.EventId))
            {
                // A replay of an update already stored: nothing to do, and no reason to ask again at once.
                await PaceAsync(started, stoppingToken);
            }
            else if (e is not null)
            {
                await CommitAsync(e, stoppingToken);
                Remember(e.EventId);
            }
        }
    }

    private static async Task PaceAsync(long started, CancellationToken stoppingToken)
    {
        var rest = MinIdleInterval - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, stoppingToken);
        }
    }

    private void Remember(string eventId)
    {
        if (_stored.Add(eventId))
        {
            _storedOrder.Enqueue(eventId);
            if (_storedOrder.Count > 1000)
            {
                _stored.Remove(_storedOrder.Dequeue());
            }
        }
    }

    /// <summary>Zalo will not send this update again: keep trying to store it until it is stored.</summary>
    private async Task CommitAsync(InboundEvent e, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await inbox.ProcessAsync([e], stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failures++;
                var delay = ReconnectDelay.After(failures);
                logger.LogError(ex, "Could not store Zalo Bot event {EventId} ({Failures} in a row); retrying in {Delay}", e.EventId, failures, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

}
