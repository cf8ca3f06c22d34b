using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>A record to append to an <see cref="IDurableLog"/>.</summary>
/// <param name="Partition">Its partition: <see cref="DurableLogStreamQueueMapper.GetPartition(StreamId, int)"/> of its stream.</param>
/// <param name="Stream">The Orleans stream it is delivered on (its implicit subscriber is keyed by the stream's key).</param>
/// <param name="Payload">The serialized item; the log copies it before the append completes, unless it is handed over (<see cref="PayloadHandedOver"/>).</param>
/// <param name="Trace">The trace context of the appending activity (null when no one traces); stored beside the payload.</param>
public readonly record struct LogRecord(int Partition, StreamId Stream, ReadOnlyMemory<byte> Payload, LogTraceContext? Trace = null)
{
    /// <summary>The caller hands <see cref="Payload"/> over (<see cref="DurableLogMessage.PayloadHandedOver"/>): the log may keep its array.</summary>
    public bool PayloadHandedOver { get; init; }

    /// <summary>The payload as an array the log may keep: the handed-over array itself when it is exactly the payload, else a copy.</summary>
    public byte[] PayloadToKeep() =>
        PayloadHandedOver && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Payload, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : Payload.ToArray();
}
