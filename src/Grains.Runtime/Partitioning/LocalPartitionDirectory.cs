using Grains.Runtime.Configuration;

namespace Grains.Runtime.Partitioning;

/// <summary>The embedded silo's directory: it owns every partition.</summary>
public sealed class LocalPartitionDirectory(GrainsOptions options) : IPartitionDirectory
{
    private readonly int[] _all = Enumerable.Range(0, options.PartitionCount).ToArray();

    /// <inheritdoc />
    public int PartitionCount => _all.Length;

    /// <inheritdoc />
    public bool IsLocal(int partition) => (uint)partition < (uint)_all.Length;

    /// <inheritdoc />
    public IReadOnlyCollection<int> LocalPartitions => _all;
}
