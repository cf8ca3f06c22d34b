using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Streaming;

/// <summary>The <c>Grains.Streaming</c> meter and activity source of the durable-log stream provider.</summary>
public static class StreamingInstruments
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "Grains.Streaming";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> ItemsAppended = Meter.CreateCounter<long>("grains.streaming.items.appended", "{item}", "Items appended durably to the log by producers.");
    internal static readonly Counter<long> ItemsRead = Meter.CreateCounter<long>("grains.streaming.items.read", "{item}", "Items read from the log by queue receivers.");
    internal static readonly Counter<long> ItemsDelivered = Meter.CreateCounter<long>("grains.streaming.items.delivered", "{item}", "Items whose delivery completed (released by Orleans' queue cache).");
    internal static readonly Counter<long> DeliveryFailures = Meter.CreateCounter<long>("grains.streaming.delivery.failures", "{container}", "Deliveries Orleans gave up on after its retry horizon.");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("grains.streaming.dead_lettered", "{item}", "Items set aside durably to the dead-letter store, by Orleans' failure path or by a consumer grain (the checkpoint may pass them).");
    internal static readonly Histogram<long> AppendGroupCalls = Meter.CreateHistogram<long>("grains.streaming.append.group_calls", "{call}", "Append calls committed together in one transaction by the log's group commit.");
    internal static readonly Counter<long> ReadsSkipped = Meter.CreateCounter<long>("grains.streaming.reads.skipped", "{read}", "Reads of an idle partition skipped because the log signalled no append since the last read.");
    internal static readonly Histogram<double> ReadLag = Meter.CreateHistogram<double>("grains.streaming.read.lag", "s", "Time from an item's durable append to its first read.");

    /// <summary>Live receivers, observed for the checkpoint lag and the held containers.</summary>
    internal static readonly ConcurrentDictionary<DurableLogQueueAdapterReceiver, byte> Receivers = new();

    static StreamingInstruments()
    {
        Meter.CreateObservableGauge("grains.streaming.checkpoint.lag", ObserveLag, "{offset}", "Offsets read but not yet behind the partition's checkpoint (read offset minus checkpoint).");
        Meter.CreateObservableGauge("grains.streaming.held", ObserveHeld, "{container}", "Failed containers held below the checkpoint, not set aside.");
    }

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Receivers.Keys.Select(r => new Measurement<long>(r.CheckpointLag, r.Tags));

    private static IEnumerable<Measurement<long>> ObserveHeld() =>
        Receivers.Keys.Select(r => new Measurement<long>(r.HeldCount, r.Tags));
}
