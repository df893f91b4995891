using Microsoft.Extensions.Logging;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;

namespace HelpBot.Channels.Telegram;

/// <summary>Who the bot is on Telegram, learnt once from getMe.</summary>
public sealed class TelegramBot(ITelegramBotClient client, TimeProvider time, ILogger<TelegramBot> logger)
{
    private BotIdentity? _identity;
    private long _lastContact;

    public BotIdentity? Identity => _identity;

    /// <summary>When Telegram last answered a call or delivered an update (for /healthz).</summary>
    public DateTimeOffset? LastContact => Interlocked.Read(ref _lastContact) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Heard() => Interlocked.Exchange(ref _lastContact, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Calls getMe until it answers; a refused token is not retried.</summary>
    public async Task<BotIdentity> ConnectAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                var me = await client.GetMe(cancellationToken);
                _identity = new BotIdentity(me.Id, me.Username ?? "");
                Heard();
                logger.LogInformation("Connected to Telegram as @{Username} ({BotId})", me.Username, me.Id);
                return _identity;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures++;
                var delay = ReconnectDelay.After(failures);
                logger.LogError(ex, "Cannot reach Telegram ({Failures} in a row); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}
