using Grains.Monitoring.Storage.Relational;

namespace Grains.Monitoring.Storage;

/// <summary>
/// An event's JSON compressed as the event store keeps it (<see cref="EventPayload"/>), with its
/// uncompressed length: the edge compresses an event once and the store writes these bytes as they are.
/// </summary>
/// <param name="Bytes">The Brotli stream.</param>
/// <param name="JsonLength">The length of the JSON it decompresses to.</param>
public readonly record struct CompressedEventJson(ReadOnlyMemory<byte> Bytes, int JsonLength)
{
    /// <summary>Compresses <paramref name="json"/>.</summary>
    public static CompressedEventJson Compress(ReadOnlySpan<byte> json) => new(EventPayload.Compress(json), json.Length);

    /// <summary>The JSON (only where it is really read: an alert rule's event attribute filter, a test).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a Brotli stream of <see cref="JsonLength"/> bytes.</exception>
    public byte[] Decompress() => EventPayload.Decompress(Bytes.Span, JsonLength);
}
