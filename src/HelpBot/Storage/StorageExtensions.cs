using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HelpBot.Storage;

public static class StorageExtensions
{
    public const string DefaultConnectionString = "Data Source=helpbot.db";

    public static IServiceCollection AddStorage(this IServiceCollection services, string? connectionString)
    {
        // Made by the container, so the container closes its writer connection when the host stops.
        services.AddSingleton(_ => new Database(string.IsNullOrWhiteSpace(connectionString) ? DefaultConnectionString : connectionString)
        {
            CheckpointsInBackground = true,
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Migrator>();
        // Registered before every other hosted service: the schema is in place before anything reads it.
        services.AddHostedService<MigrationService>();
        services.AddHostedService<WalCheckpointer>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }
}

/// <summary>Applies the migrations while the host starts, before the channels begin to receive.</summary>
internal sealed class MigrationService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var outbox = await connection.QuerySingleAsync<OutboxCounts>(
                "SELECT coalesce(sum(state = 'pending'), 0) AS Pending, coalesce(sum(state = 'dead'), 0) AS Dead FROM outbox");
            return HealthCheckResult.Healthy($"outbox: {outbox.Pending} pending, {outbox.Dead} dead");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("database unavailable", ex);
        }
    }
}

/// <summary>The outbox's rows waiting to be sent and those given up on.</summary>
internal sealed record OutboxCounts(long Pending, long Dead);
