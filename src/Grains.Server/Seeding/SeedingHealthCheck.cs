using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grains.Server.Seeding;

/// <summary>Not ready until the first-start seeding completed (in a cluster it runs after the host started).</summary>
public sealed class SeedingHealthCheck(FirstStartSeeder seeder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(seeder.Seeded.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("seeded")
            : HealthCheckResult.Unhealthy("seeding the default organization, project and key"));
}
