using HelpBot.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using System.Text.Json;
using global::Telegram.Bot.Types;

namespace HelpBot.Channels.Telegram;

/// <summary>
/// Long-polls getUpdates. Each batch is committed through the inbox before the next call's offset
/// acknowledges it, so a crash in between means redelivery, never loss. Pending updates are never dropped.
/// </summary>
public sealed class TelegramPoller(
    ITelegramBotClient client,
    TelegramBot bot,
    InboxProcessor inbox,
    TelegramCommandMenu menu,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    private static readonly string[] Wanted = ["message", "callback_query"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var identity = await bot.ConnectAsync(stoppingToken);
            // A webhook left over from another deployment would make getUpdates fail; remove it, keep the updates.
            await client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
            // The menus are a convenience: register them beside the first poll, not before it.
            var menus = menu.RegisterAsync(stoppingToken);
            await PollAsync(identity, stoppingToken);
            await menus;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
        {
            // A wrong token makes the whole process useless: stop on purpose, with a line that says why.
            logger.LogCritical("Telegram refused the bot token ({ErrorCode}). Check HelpBot:Telegram:BotToken; stopping", ex.ErrorCode);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }

    /// <summary>One update: its id (to acknowledge it whatever happens) and its event, if it is one the desk handles.</summary>
    private (int Id, InboundEvent? Event) Read(JsonElement raw, BotIdentity identity)
    {
        var id = raw.TryGetProperty("update_id", out var idElement) && idElement.TryGetInt32(out var parsed) ? parsed : -1;
        try
        {
            var update = raw.Deserialize(TelegramJson.Update);
            if (update is null)
            {
                return (id, null);
            }
            var e = TelegramUpdateMapper.Map(update, identity);
            if (e is null)
            {
                logger.LogDebug("Skipped Telegram update {UpdateId} of type {Type}", update.Id, update.Type);
            }
            return (update.Id, e);
        }
        // NotSupportedException: a shape the native build has no generated code for; skipping that one update keeps the
        // rest of the batch (and every later one) moving.
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            // Logged without the update's content: it may hold a citizen's personal data.
            logger.LogWarning("Skipped malformed Telegram update {UpdateId}: {Error}", id, ex.GetType().Name);
            return (id, null);
        }
    }

    private async Task PollAsync(BotIdentity identity, CancellationToken stoppingToken)
    {
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await client.SendRequest(new RawUpdatesRequest
                {
                    Offset = offset,
                    Limit = 100,
                    Timeout = options.Value.PollTimeoutSeconds,
                    AllowedUpdates = Wanted,
                }, stoppingToken);
                bot.Heard();
                if (updates.Length > 0)
                {
                    var events = new List<InboundEvent>(updates.Length);
                    var last = offset ?? 0;
                    foreach (var raw in updates)
                    {
                        var (id, e) = Read(raw, identity);
                        last = Math.Max(last, id + 1);
                        if (e is not null)
                        {
                            events.Add(e);
                        }
                    }
                    await inbox.ProcessAsync(events, stoppingToken);
                    offset = last;
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
            {
                throw;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = ReconnectDelay.After(failures);
                logger.LogError(ex, "Telegram polling failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }
}
