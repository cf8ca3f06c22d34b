using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grains.Server;

/// <summary>Ready once the host (and with it the Orleans silo) started; not ready as soon as a graceful shutdown starts.</summary>
public sealed class SiloHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Healthy("silo running")
            : HealthCheckResult.Unhealthy("silo not running"));
}
