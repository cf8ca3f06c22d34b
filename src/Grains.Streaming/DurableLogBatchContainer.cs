using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// The items of one stream from one read of a partition, delivered to the stream's consumer in one
/// call (<see cref="IAsyncBatchObserver{T}"/> with <c>T</c> = <c>byte[]</c>). Each item's sequence
/// token is an <see cref="EventSequenceTokenV2"/> whose <see cref="StreamSequenceToken.SequenceNumber"/>
/// is its log offset: the consumer stores the last one it applied with its state and skips items at
/// or below it when they are delivered again. An item appended with a trace context gets a
/// <see cref="DurableLogSequenceToken"/> that carries it.
/// </summary>
/// <remarks>
/// The container's own token is that of its first item. Containers of one read are built in order of
/// their streams' first appearance, so container tokens still increase within a queue, which Orleans'
/// queue cache requires. Field ids are stable: containers cross silos during rolling upgrades.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Grains.Streaming.DurableLogBatchContainer")]
public sealed class DurableLogBatchContainer : IBatchContainer
{
    /// <summary>
    /// Creates a container of the items <paramref name="offsets"/>/<paramref name="payloads"/> (same
    /// length, offsets ascending, at least one) with their trace contexts <paramref name="traces"/>
    /// (same length, or null when no item has one).
    /// </summary>
    public DurableLogBatchContainer(StreamId streamId, int partition, long[] offsets, byte[][] payloads, LogTraceContext?[]? traces = null)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(payloads);
        if (offsets.Length == 0 || offsets.Length != payloads.Length)
        {
            throw new ArgumentException("A container holds at least one item and one payload per offset.", nameof(payloads));
        }

        if (traces is not null && traces.Length != offsets.Length)
        {
            throw new ArgumentException("A container holds one trace context (or null) per offset, or no trace contexts at all.", nameof(traces));
        }

        StreamId = streamId;
        Partition = partition;
        Offsets = offsets;
        Payloads = payloads;
        Traces = traces;
    }

    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The log partition the items were read from.</summary>
    [Id(1)]
    public int Partition { get; }

    /// <summary>The items' offsets, ascending.</summary>
    [Id(2)]
    public long[] Offsets { get; }

    /// <summary>The items' payloads, as appended.</summary>
    [Id(3)]
    public byte[][] Payloads { get; }

    /// <summary>The items' trace contexts (null entries for items appended untraced), or null when none has one.</summary>
    [Id(4)]
    public LogTraceContext?[]? Traces { get; }

    /// <summary>The offset of the first item (the container's token).</summary>
    public long FirstOffset => Offsets[0];

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Offsets[0]);

    /// <inheritdoc />
    /// <exception cref="InvalidCastException">
    /// The consumer does not take <c>byte[]</c>. Thrown rather than yielding nothing (as Orleans'
    /// own containers do with <c>OfType</c>): an empty delivery would let the checkpoint pass items
    /// no consumer saw; a failing one is retried and reported.
    /// </exception>
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (!typeof(T).IsAssignableFrom(typeof(byte[])))
        {
            throw new InvalidCastException($"The durable log stream {StreamId} carries byte[] payloads; a consumer of {typeof(T)} cannot take them.");
        }

        var events = new Tuple<T, StreamSequenceToken>[Offsets.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var token = Traces?[i] is { } trace ? new DurableLogSequenceToken(Offsets[i], trace) : new EventSequenceTokenV2(Offsets[i]);
            events[i] = Tuple.Create((T)(object)Payloads[i], (StreamSequenceToken)token);
        }

        return events;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The log stores no request context. The trace context travels per item in its token instead:
    /// one delivery may carry items of several traces, and Orleans' request context (and the grain-call
    /// span it parents) can hold only one.
    /// </remarks>
    public bool ImportRequestContext() => false;

    /// <inheritdoc />
    public override string ToString() => $"{StreamId} p{Partition} [{Offsets[0]}..{Offsets[^1]}] ({Offsets.Length})";
}
