using System.Buffers.Binary;
using System.Text.Json;

namespace Grains.Monitoring.Events;

/// <summary>
/// The stream item of one accepted event: the facts (small JSON) followed by the normalized event
/// (UTF-8 JSON), so the issue grain parses only the facts and stores the event bytes untouched.
/// Layout: 4-byte little-endian length of the facts JSON, the facts JSON, the event JSON.
/// </summary>
public static class IngestedEvent
{
    public static byte[] Encode(EventFacts facts, ReadOnlySpan<byte> eventJson)
    {
        var factsJson = JsonSerializer.SerializeToUtf8Bytes(facts, MonitoringJson.Options);
        var buffer = new byte[4 + factsJson.Length + eventJson.Length];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, factsJson.Length);
        factsJson.CopyTo(buffer.AsSpan(4));
        eventJson.CopyTo(buffer.AsSpan(4 + factsJson.Length));
        return buffer;
    }

    public static (EventFacts Facts, ReadOnlyMemory<byte> EventJson) Decode(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        if (span.Length < 4)
        {
            throw new InvalidDataException("An ingested event payload is shorter than its header.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        if (length < 0 || length > span.Length - 4)
        {
            throw new InvalidDataException("An ingested event payload has an invalid facts length.");
        }

        var facts = JsonSerializer.Deserialize<EventFacts>(span.Slice(4, length), MonitoringJson.Options)
            ?? throw new InvalidDataException("An ingested event payload has no facts.");
        return (facts, payload[(4 + length)..]);
    }
}
