using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

/// <summary>Healthy while Zalo answered recently; degraded when it has gone quiet; unhealthy before getMe answered.</summary>
public sealed class ZaloBotHealthCheck(ZaloBot bot, ZaloBotClient client, IOptions<ZaloBotOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bot.Name is not { } name || client.LastContact is not { } last)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("not connected to Zalo Bot Platform yet"));
        }
        var o = options.Value;
        var quiet = time.GetUtcNow() - last;
        var expected = o.Mode == ZaloBotMode.Polling
            ? TimeSpan.FromSeconds(o.PollTimeoutSeconds * 2 + 60)
            : TimeSpan.FromHours(24); // a webhook only hears from Zalo when someone writes
        var description = $"{name}, {o.Mode}, last contact {(int)quiet.TotalSeconds} s ago";
        return Task.FromResult(quiet <= expected ? HealthCheckResult.Healthy(description) : HealthCheckResult.Degraded(description));
    }
}
