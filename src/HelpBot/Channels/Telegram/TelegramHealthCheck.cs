using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.Telegram;

/// <summary>Healthy while Telegram answered recently; degraded when it has gone quiet; unhealthy before the first answer.</summary>
public sealed class TelegramHealthCheck(TelegramBot bot, IOptions<TelegramOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bot.Identity is not { } identity || bot.LastContact is not { } last)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("not connected to Telegram yet"));
        }
        var quiet = time.GetUtcNow() - last;
        var expected = options.Value.Mode == TelegramMode.Polling
            ? TimeSpan.FromSeconds(options.Value.PollTimeoutSeconds * 2 + 60)
            : TimeSpan.FromHours(24); // a webhook only hears from Telegram when someone writes
        var description = $"@{identity.Username}, {options.Value.Mode}, last contact {(int)quiet.TotalSeconds} s ago";
        return Task.FromResult(quiet <= expected ? HealthCheckResult.Healthy(description) : HealthCheckResult.Degraded(description));
    }
}
