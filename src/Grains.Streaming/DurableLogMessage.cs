using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>An item to publish through a <see cref="DurableLogStreamProducer"/>.</summary>
/// <param name="Stream">The stream to publish on; it decides the partition.</param>
/// <param name="Payload">The serialized item; the consumer receives these bytes as a <c>byte[]</c>.</param>
public readonly record struct DurableLogMessage(StreamId Stream, ReadOnlyMemory<byte> Payload);
