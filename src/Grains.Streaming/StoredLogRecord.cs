using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>A record read back from an <see cref="IDurableLog"/>.</summary>
/// <param name="Offset">Its offset; offsets strictly increase within a partition (they need not be contiguous).</param>
/// <param name="Stream">The Orleans stream it is delivered on.</param>
/// <param name="Payload">The serialized item as appended.</param>
/// <param name="AppendedAt">When it became durable (used to report delivery lag).</param>
/// <param name="Trace">The trace context it was appended with, or null (appended untraced, or before the log stored contexts).</param>
public sealed record StoredLogRecord(long Offset, StreamId Stream, ReadOnlyMemory<byte> Payload, DateTimeOffset AppendedAt, LogTraceContext? Trace = null);
