using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Runtime.Diagnostics;

/// <summary>The runtime's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Grains.Runtime</c>.</summary>
public static class RuntimeInstruments
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Grains.Runtime";

    /// <summary>Traces grain turns, stream deliveries and reminders.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>The runtime's metrics.</summary>
    public static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Calls = Meter.CreateCounter<long>("grains.calls", "{call}", "Grain calls made.");
    internal static readonly Counter<long> Turns = Meter.CreateCounter<long>("grains.turns", "{turn}", "Grain turns started.");
    internal static readonly Counter<long> Activations = Meter.CreateCounter<long>("grains.activations", "{activation}", "Activations created.");
    internal static readonly Counter<long> Deactivations = Meter.CreateCounter<long>("grains.deactivations", "{activation}", "Activations deactivated.");
    internal static readonly Counter<long> StreamAppended = Meter.CreateCounter<long>("grains.stream.appended", "{item}", "Stream items durably appended.");
    internal static readonly Counter<long> StreamDelivered = Meter.CreateCounter<long>("grains.stream.delivered", "{item}", "Stream items delivered to grains.");
    internal static readonly Counter<long> StreamDeliveryFailures = Meter.CreateCounter<long>("grains.stream.delivery_failures", "{slice}", "Slices given up after the maximum delivery attempts.");
    internal static readonly Counter<long> RemoteCalls = Meter.CreateCounter<long>("grains.cluster.remote_calls", "{call}", "Grain calls sent to the silo that owns the partition.");
    internal static readonly Counter<long> RemoteCallRetries = Meter.CreateCounter<long>("grains.cluster.remote_call_retries", "{attempt}", "Remote call attempts that found the partition moved, unowned or its owner unreachable.");
    internal static readonly Counter<long> LeaseChanges = Meter.CreateCounter<long>("grains.cluster.lease_changes", "{change}", "Partition leases acquired, released after draining, or lost (tag: change).");
    internal static readonly Histogram<int> StreamCommitSize = Meter.CreateHistogram<int>("grains.stream.commit_size", "{item}", "Items per group commit.");
}
