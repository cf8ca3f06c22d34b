using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>An item to publish through a <see cref="DurableLogStreamProducer"/>.</summary>
/// <param name="Stream">The stream to publish on; it decides the partition.</param>
/// <param name="Payload">The serialized item; the consumer receives these bytes as a <c>byte[]</c>.</param>
public readonly record struct DurableLogMessage(StreamId Stream, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The caller hands <see cref="Payload"/> over: a whole array it never touches again, which the log keeps instead of
    /// copying (the ingest edge's encoded items, a copy of about 3 KB per event saved). False: the log copies it.
    /// </summary>
    public bool PayloadHandedOver { get; init; }
}
