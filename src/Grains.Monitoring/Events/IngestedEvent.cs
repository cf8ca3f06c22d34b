using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;

namespace Grains.Monitoring.Events;

/// <summary>
/// The stream item of one accepted event: the facts (small JSON) and the normalized event, so the issue
/// grain parses only the facts and hands the event bytes to the event store untouched.
/// </summary>
/// <remarks>
/// <para>
/// Version 2 (written since the event is compressed once, at the edge): a 4-byte little-endian
/// <see cref="Version2Marker"/> (negative), then the facts JSON length, the event JSON length and the
/// compressed length (4 bytes each, little-endian), the facts JSON, and the event JSON compressed as the
/// event store keeps it (<see cref="EventPayload"/>): the log and the store carry the same compressed bytes.
/// </para>
/// <para>
/// Version 1 (items already in a log written before): a 4-byte little-endian length of the facts JSON
/// (never negative), the facts JSON, the event JSON. It still decodes; its JSON is compressed by the store
/// as before. A version 1 reader meets a negative facts length in a version 2 item and sets the item
/// aside rather than misreading it.
/// </para>
/// <para>
/// The lengths must add up exactly, so a truncated or padded item fails to decode (and is set aside);
/// the compressed bytes themselves are not inflated here (that is the cost this layout saves).
/// </para>
/// </remarks>
public static class IngestedEvent
{
    /// <summary>The first four bytes of a version 2 item, as a little-endian int32.</summary>
    public const int Version2Marker = -2;

    private const int Version2Header = 16;

    // Far above any event the edge accepts (IngestLimits.MaxEventSize); bounds what a corrupt length could allocate.
    private const int MaxJsonLength = 256 * 1024 * 1024;

    /// <summary>Encodes <paramref name="facts"/> and <paramref name="eventJson"/>, compressing the JSON (version 2).</summary>
    public static byte[] Encode(EventFacts facts, ReadOnlySpan<byte> eventJson) =>
        Encode(JsonSerializer.SerializeToUtf8Bytes(facts, MonitoringJson.Options), eventJson);

    /// <summary>Writes <paramref name="facts"/> as the stream item stores them (the facts JSON of <see cref="Encode(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>).</summary>
    public static void WriteFacts(Utf8JsonWriter writer, EventFacts facts) => JsonSerializer.Serialize(writer, facts, MonitoringJson.Options);

    /// <summary>
    /// Encodes facts already written as JSON (<see cref="WriteFacts"/>) and <paramref name="eventJson"/>, compressing
    /// the JSON (version 2); the edge writes both into reused buffers, so the returned array is the only allocation.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> factsJson, ReadOnlySpan<byte> eventJson)
    {
        // The compressor leaves room for the header and the facts, so its output is copied once.
        var buffer = EventPayload.Compress(eventJson, Version2Header + factsJson.Length);
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Version2Marker);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], factsJson.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], eventJson.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], buffer.Length - Version2Header - factsJson.Length);
        factsJson.CopyTo(span[Version2Header..]);
        return buffer;
    }

    /// <summary>
    /// Decodes an item of either version: version 2 gives <c>Compressed</c> (and an empty <c>EventJson</c>),
    /// version 1 gives <c>EventJson</c> (and a null <c>Compressed</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">The item is truncated, padded or its lengths are inconsistent.</exception>
    /// <exception cref="JsonException">The facts are not valid JSON.</exception>
    public static (EventFacts Facts, ReadOnlyMemory<byte> EventJson, CompressedEventJson? Compressed) Decode(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        if (span.Length < 4)
        {
            throw new InvalidDataException("An ingested event payload is shorter than its header.");
        }

        var first = BinaryPrimitives.ReadInt32LittleEndian(span);
        if (first >= 0)
        {
            if (first > span.Length - 4)
            {
                throw new InvalidDataException("An ingested event payload has an invalid facts length.");
            }

            return (Facts(span.Slice(4, first)), payload[(4 + first)..], null);
        }

        if (first != Version2Marker)
        {
            throw new InvalidDataException($"An ingested event payload has an unknown version marker ({first}).");
        }

        if (span.Length < Version2Header)
        {
            throw new InvalidDataException("An ingested event payload is shorter than its header.");
        }

        var factsLength = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var compressedLength = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        if (factsLength < 0 || compressedLength < 0 || (long)Version2Header + factsLength + compressedLength != span.Length)
        {
            throw new InvalidDataException("An ingested event payload's lengths do not match its size (truncated or corrupt).");
        }

        // Brotli never needs more than this for jsonLength bytes: a larger stream means a corrupt JSON length.
        if (jsonLength < 0 || jsonLength > MaxJsonLength || compressedLength == 0 || compressedLength > BrotliEncoder.GetMaxCompressedLength(jsonLength))
        {
            throw new InvalidDataException("An ingested event payload has an invalid event length.");
        }

        var facts = Facts(span.Slice(Version2Header, factsLength));
        return (facts, ReadOnlyMemory<byte>.Empty, new CompressedEventJson(payload[(Version2Header + factsLength)..], jsonLength));
    }

    private static EventFacts Facts(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<EventFacts>(json, MonitoringJson.Options)
            ?? throw new InvalidDataException("An ingested event payload has no facts.");
}
