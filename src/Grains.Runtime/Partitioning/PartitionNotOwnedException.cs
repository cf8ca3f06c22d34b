namespace Grains.Runtime.Partitioning;

/// <summary>A call was routed to a partition this silo does not own (and no remote transport is configured).</summary>
public sealed class PartitionNotOwnedException(GrainId grainId, int partition)
    : InvalidOperationException($"Grain {grainId} is in partition {partition}, which this silo does not own.")
{
    /// <summary>The partition of the call.</summary>
    public int Partition { get; } = partition;
}
