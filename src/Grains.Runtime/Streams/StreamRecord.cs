namespace Grains.Runtime.Streams;

/// <summary>An item to append to the stream log.</summary>
/// <param name="Partition">The partition it belongs to (the partition of its consumer grain).</param>
/// <param name="Stream">The stream it was published on.</param>
/// <param name="Payload">The serialized item.</param>
public readonly record struct StreamRecord(int Partition, StreamId Stream, ReadOnlyMemory<byte> Payload);
