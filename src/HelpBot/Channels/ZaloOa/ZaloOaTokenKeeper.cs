using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// Renews the OA's access token ahead of its expiry even when nobody writes, so the three-month refresh token never
/// lapses for want of use, and checks the chain at start-up (a renewal interrupted by a crash shows at once).
/// </summary>
public sealed class ZaloOaTokenKeeper(ZaloOaTokens tokens, TimeProvider time, ILogger<ZaloOaTokenKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = RetryAfter;
            try
            {
                await tokens.GetAsync(stoppingToken);
                if (tokens.ExpiresAt is { } expires && expires - ZaloOaTokens.RenewAhead - time.GetUtcNow() is var untilDue && untilDue > wait)
                {
                    wait = untilDue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ZaloOaTokenException ex) when (ex.Broken)
            {
                // Said once, critically, by ZaloOaTokens; only an admin with a new refresh token (and a restart) can help.
                return;
            }
            catch (ZaloOaTokenException ex)
            {
                // A temporary failure, already in the health check: try again shortly.
                wait = ex.RetryAfter ?? RetryAfter;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Renewing the Zalo OA access token failed; trying again in {Delay}", RetryAfter);
            }
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await tokens.SaveHeldPairAsync(cancellationToken);
    }
}
