namespace Grains.Runtime.Cluster;

/// <summary>A silo was asked to run a call for a partition it does not own (any more); the call did not run.</summary>
public sealed class PartitionMovedException(int partition, long epoch, string silo)
    : Exception($"Silo {silo} does not own partition {partition} (it knows epoch {epoch}).")
{
    /// <summary>The partition of the call.</summary>
    public int Partition { get; } = partition;

    /// <summary>The ownership epoch the answering silo knows for the partition.</summary>
    public long Epoch { get; } = epoch;
}
