using Grains.Runtime.Activation;
using Grains.Runtime.Diagnostics;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Cluster;

/// <summary>
/// Starts and stops serving single partitions as their leases come and go: the membership service
/// calls it, the runtime's directory, pulling agents, reminders and catalog follow.
/// </summary>
internal sealed class SiloPartitions(GrainRuntime runtime, StreamAgents agents, ReminderService reminders)
{
    private ClusterPartitionDirectory Directory => runtime.Directory as ClusterPartitionDirectory
        ?? throw new InvalidOperationException("Partitions are acquired and released only in cluster mode (ClusterPartitionDirectory).");

    /// <summary>This silo holds the partition's lease now: serve its calls, reminders and stream.</summary>
    public async Task StartAsync(int partition, CancellationToken cancellationToken = default)
    {
        Directory.SetLocal(partition, true);
        RuntimeInstruments.LeaseChanges.Add(1, new KeyValuePair<string, object?>("change", "acquired"));
        await reminders.StartPartitionAsync(partition, cancellationToken);
        agents.StartPartition(partition);
    }

    /// <summary>
    /// Hands a partition over: the pulling agent finishes what it read and checkpoints, reminders
    /// stop, new calls go to the next owner, and the partition's activations finish their turns,
    /// persist and deactivate (queued calls follow the grain). The caller then releases the lease.
    /// </summary>
    public async Task DrainAsync(int partition)
    {
        await agents.StopPartitionAsync(partition);
        reminders.StopPartition(partition);
        Directory.SetLocal(partition, false);
        var activations = ActivationsOf(partition);
        foreach (var activation in activations)
        {
            activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        }

        var all = Task.WhenAll(activations.Select(a => a.Deactivated));
        if (await Task.WhenAny(all, Task.Delay(runtime.Options.DeactivationTimeout)) != all)
        {
            runtime.Logger.LogWarning("Partition {Partition}: {Count} activations did not deactivate within {Timeout}", partition, activations.Count(a => !a.Deactivated.IsCompleted), runtime.Options.DeactivationTimeout);
        }

        RuntimeInstruments.LeaseChanges.Add(1, new KeyValuePair<string, object?>("change", "released"));
    }

    /// <summary>
    /// The lease is gone (the database session ended): stop serving the partition at once. Nothing
    /// more is checkpointed; activations deactivate, and any write they attempt is fenced by ETags.
    /// </summary>
    public void Abandon(int partition)
    {
        Directory.SetLocal(partition, false);
        reminders.StopPartition(partition);
        _ = agents.AbortPartitionAsync(partition);
        foreach (var activation in ActivationsOf(partition))
        {
            activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        }

        RuntimeInstruments.LeaseChanges.Add(1, new KeyValuePair<string, object?>("change", "lost"));
    }

    private List<ActivationData> ActivationsOf(int partition) =>
        runtime.Catalog.All.Where(a => runtime.PartitionOf(a.Id) == partition).ToList();
}
