using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>A record to append to an <see cref="IDurableLog"/>.</summary>
/// <param name="Partition">Its partition: <see cref="DurableLogStreamQueueMapper.GetPartition(StreamId, int)"/> of its stream.</param>
/// <param name="Stream">The Orleans stream it is delivered on (its implicit subscriber is keyed by the stream's key).</param>
/// <param name="Payload">The serialized item; the log copies it before the append completes.</param>
/// <param name="Trace">The trace context of the appending activity (null when no one traces); stored beside the payload.</param>
public readonly record struct LogRecord(int Partition, StreamId Stream, ReadOnlyMemory<byte> Payload, LogTraceContext? Trace = null);
