namespace Grains.Runtime.Cluster;

/// <summary>What a silo knows of its own membership (health checks, diagnostics).</summary>
public interface IClusterMembership
{
    /// <summary>Whether the silo is registered and has completed a balancing round since (readiness).</summary>
    bool IsJoined { get; }

    /// <summary>The silo's current membership id (a rejoin after a lost session gets a new one).</summary>
    long SiloId { get; }

    /// <summary>The partitions whose lease the silo holds.</summary>
    IReadOnlyCollection<int> OwnedPartitions { get; }
}
