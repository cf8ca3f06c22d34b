using Grains.Runtime.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Postgres.Cluster;

/// <summary>Registers PostgreSQL membership and partition leases.</summary>
public static class PostgresClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes the silo a member of the cluster whose database <c>AddGrainsPostgres</c> configured.
    /// Call it after <c>AddGrains</c> (so the silo is started before partitions arrive and stopped
    /// after they were handed over) and beside <c>AddGrainsClusterTransport</c>.
    /// </summary>
    public static IServiceCollection AddGrainsPostgresCluster(this IServiceCollection services, ClusterOptions options)
    {
        if (options.RefreshInterval <= TimeSpan.Zero || options.SiloDeadAfter <= options.RefreshInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ClusterOptions.RefreshInterval must be positive and shorter than SiloDeadAfter.");
        }

        services.TryAddSingleton(options);
        services.AddSingleton(sp => new PostgresClusterMembership(
            sp.GetRequiredService<PostgresDatabase>(),
            sp.GetRequiredService<ClusterOptions>(),
            sp.GetRequiredService<ClusterPartitionDirectory>(),
            sp.GetRequiredService<SiloPartitions>(),
            sp.GetRequiredService<ILogger<PostgresClusterMembership>>()));
        services.AddSingleton<IClusterMembership>(sp => sp.GetRequiredService<PostgresClusterMembership>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PostgresClusterMembership>());
        return services;
    }
}
