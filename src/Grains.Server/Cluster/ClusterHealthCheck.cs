using Grains.Runtime.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grains.Server.Cluster;

/// <summary>Ready once the silo joined the cluster and finished a balancing round.</summary>
public sealed class ClusterHealthCheck(IClusterMembership membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.IsJoined
            ? HealthCheckResult.Healthy($"silo {membership.SiloId} joined, {membership.OwnedPartitions.Count} partitions")
            : HealthCheckResult.Unhealthy("not joined to the cluster"));
}
