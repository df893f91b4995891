using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// Healthy with a valid access token; degraded while renewing fails for a reason that passes (Zalo unreachable, the
/// database not taking the new pair); unhealthy when the chain is broken or missing, with what an admin must do.
/// </summary>
public sealed class ZaloOaHealthCheck(ZaloOaTokens tokens) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = tokens.Status;
        return Task.FromResult(status.Health switch
        {
            ZaloOaTokenHealth.Ok => HealthCheckResult.Healthy(status.Description),
            ZaloOaTokenHealth.Starting or ZaloOaTokenHealth.Failing => HealthCheckResult.Degraded(status.Description),
            _ => HealthCheckResult.Unhealthy(status.Description),
        });
    }
}
