using Grains.Runtime.Configuration;
using Grains.Runtime.Partitioning;

namespace Grains.Runtime.Cluster;

/// <summary>
/// The directory of a silo in a cluster: which partitions this silo serves now (changed only by the
/// membership service as it acquires, drains or loses partition leases) and who owns the others,
/// as last read from the ownership table. Callers that find no usable owner ask for a refresh and
/// wait for the next change.
/// </summary>
public sealed class ClusterPartitionDirectory : IPartitionDirectory
{
    private readonly bool[] _local;
    private readonly PartitionOwner?[] _owners;
    private readonly object _lock = new();
    private TaskCompletionSource _changed = NewSignal();
    private int[] _localList = [];

    /// <summary>Creates an empty directory (owns nothing, knows no owner).</summary>
    public ClusterPartitionDirectory(GrainsOptions options)
    {
        PartitionCount = options.PartitionCount;
        _local = new bool[PartitionCount];
        _owners = new PartitionOwner?[PartitionCount];
    }

    /// <inheritdoc />
    public int PartitionCount { get; }

    /// <summary>This silo's silo-to-silo address; an owner entry naming it is never called remotely.</summary>
    public string? LocalAddress { get; set; }

    /// <summary>Raised when a caller found no usable owner (the membership service refreshes early).</summary>
    public event Action? RefreshRequested;

    /// <inheritdoc />
    public bool IsLocal(int partition) => (uint)partition < (uint)_local.Length && Volatile.Read(ref _local[partition]);

    /// <inheritdoc />
    public IReadOnlyCollection<int> LocalPartitions => Volatile.Read(ref _localList);

    /// <summary>The owner the ownership table named at the last refresh; null when unowned or unknown.</summary>
    public PartitionOwner? OwnerOf(int partition) => Volatile.Read(ref _owners[partition]);

    /// <summary>Marks a partition served (or not) by this silo.</summary>
    public void SetLocal(int partition, bool local)
    {
        lock (_lock)
        {
            Volatile.Write(ref _local[partition], local);
            _localList = Enumerable.Range(0, PartitionCount).Where(p => _local[p]).ToArray();
        }

        Signal();
    }

    /// <summary>Replaces the known owners (index = partition).</summary>
    public void SetOwners(IReadOnlyList<PartitionOwner?> owners)
    {
        var changed = false;
        for (var partition = 0; partition < PartitionCount; partition++)
        {
            var owner = partition < owners.Count ? owners[partition] : null;
            if (owner != Volatile.Read(ref _owners[partition]))
            {
                Volatile.Write(ref _owners[partition], owner);
                changed = true;
            }
        }

        if (changed)
        {
            Signal();
        }
    }

    /// <summary>Asks the membership service for an early refresh.</summary>
    public void RequestRefresh() => RefreshRequested?.Invoke();

    /// <summary>Completes at the next change of ownership or after <paramref name="timeout"/>.</summary>
    public Task WaitForChangeAsync(TimeSpan timeout)
    {
        Task changed;
        lock (_lock)
        {
            changed = _changed.Task;
        }

        return timeout <= TimeSpan.Zero ? Task.CompletedTask : Task.WhenAny(changed, Task.Delay(timeout));
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
