namespace Grains.Runtime.Streams;

/// <summary>An item to publish.</summary>
/// <param name="Stream">The stream to publish on.</param>
/// <param name="Payload">The serialized item; the producer does not keep a reference after the append completes.</param>
public readonly record struct StreamMessage(StreamId Stream, ReadOnlyMemory<byte> Payload);
