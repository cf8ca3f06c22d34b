namespace Grains.Runtime.Partitioning;

/// <summary>
/// Which silo owns each partition. Every grain call, stream item and reminder is routed through it,
/// so cluster mode replaces only this component. The embedded silo owns every partition.
/// </summary>
public interface IPartitionDirectory
{
    /// <summary>The fixed number of partitions.</summary>
    int PartitionCount { get; }

    /// <summary>Whether this silo owns <paramref name="partition"/> now.</summary>
    bool IsLocal(int partition);

    /// <summary>The partitions this silo owns now.</summary>
    IReadOnlyCollection<int> LocalPartitions { get; }
}
