using Grains.Runtime.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grains.Server;

/// <summary>Ready while the silo runs (it fails as soon as a graceful shutdown starts).</summary>
public sealed class SiloHealthCheck(Silo silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.IsRunning ? HealthCheckResult.Healthy("silo running") : HealthCheckResult.Unhealthy("silo not running"));
}
