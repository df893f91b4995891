using HelpBot.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types.Enums;

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
    private static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.CallbackQuery];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var identity = await bot.ConnectAsync(stoppingToken);
            // A webhook left over from another deployment would make getUpdates fail; remove it, keep the updates.
            await client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
            await menu.RegisterAsync(stoppingToken);
            await PollAsync(identity, stoppingToken);
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

    private async Task PollAsync(BotIdentity identity, CancellationToken stoppingToken)
    {
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await client.GetUpdates(offset, limit: 100, timeout: options.Value.PollTimeoutSeconds,
                    allowedUpdates: Wanted, cancellationToken: stoppingToken);
                if (updates.Length > 0)
                {
                    var events = new List<InboundEvent>(updates.Length);
                    foreach (var update in updates)
                    {
                        if (TelegramUpdateMapper.Map(update, identity) is { } e)
                        {
                            events.Add(e);
                        }
                        else
                        {
                            logger.LogDebug("Skipped Telegram update {UpdateId} of type {Type}", update.Id, update.Type);
                        }
                    }
                    await inbox.ProcessAsync(events, stoppingToken);
                    offset = updates[^1].Id + 1;
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
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
                logger.LogError(ex, "Telegram polling failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }
}
