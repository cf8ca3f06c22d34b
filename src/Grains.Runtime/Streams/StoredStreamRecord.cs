namespace Grains.Runtime.Streams;

/// <summary>An item read back from the stream log.</summary>
/// <param name="Offset">Its offset; offsets increase within a partition (they need not be contiguous).</param>
/// <param name="Stream">The stream it was published on.</param>
/// <param name="Payload">The serialized item.</param>
/// <param name="AppendedAt">When it became durable (used to report lag).</param>
public sealed record StoredStreamRecord(long Offset, StreamId Stream, ReadOnlyMemory<byte> Payload, DateTimeOffset AppendedAt);
