using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Events;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;

namespace Grains.Monitoring.Tests.Events;

public sealed class IngestedEventTests
{
    private static readonly EventFacts Facts = new()
    {
        ProjectId = 7,
        EventId = new string('a', 32),
        Timestamp = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero),
        Received = new DateTimeOffset(2026, 12, 4, 20, 0, 1, TimeSpan.Zero),
        Hashes = ["0123456789abcdef0123456789abcdef"],
        GroupingConfigId = "newstyle:2023-01-11",
        Title = "TypeError: x is undefined",
        Release = "web@1.2.3",
        Tags = [new("browser", "Chrome 120")],
    };

    private static readonly byte[] Json = Encoding.UTF8.GetBytes(
        "{\"event_id\":\"" + new string('a', 32) + "\",\"exception\":{\"values\":["
        + string.Join(',', Enumerable.Range(0, 40).Select(i => $"{{\"type\":\"TypeError\",\"value\":\"x{i} is undefined\"}}")) + "]}}");

    [Fact]
    public void A_current_item_carries_the_facts_and_the_json_compressed_as_the_store_keeps_it()
    {
        var item = IngestedEvent.Encode(Facts, Json);

        Assert.Equal(IngestedEvent.Version2Marker, BinaryPrimitives.ReadInt32LittleEndian(item));
        var (facts, json, compressed) = IngestedEvent.Decode(item);

        Assert.Equal(JsonSerializer.Serialize(Facts, MonitoringJson.Options), JsonSerializer.Serialize(facts, MonitoringJson.Options));
        Assert.True(json.IsEmpty);
        var body = Assert.NotNull(compressed);
        Assert.Equal(Json.Length, body.JsonLength);
        Assert.Equal(Json, body.Decompress());

        // The bytes the store writes are exactly the store's own compression of the JSON (same format, quality and window).
        Assert.Equal(EventPayload.Compress(Json), body.Bytes.ToArray());
        Assert.Equal(EventPayload.ForAppend(StoredWith(Json, null)).Payload, EventPayload.ForAppend(StoredWith(default, compressed)).Payload);
        Assert.True(item.Length < Json.Length / 2, $"the item is {item.Length} bytes for {Json.Length} bytes of JSON");
    }

    [Fact]
    public void An_item_written_before_the_edge_compressed_still_decodes_with_its_raw_json()
    {
        var factsJson = JsonSerializer.SerializeToUtf8Bytes(Facts, MonitoringJson.Options);
        var item = new byte[4 + factsJson.Length + Json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(item, factsJson.Length);
        factsJson.CopyTo(item, 4);
        Json.CopyTo(item, 4 + factsJson.Length);

        var (facts, json, compressed) = IngestedEvent.Decode(item);

        Assert.Equal(Facts.EventId, facts.EventId);
        Assert.Equal(Facts.Tags, facts.Tags);
        Assert.Null(compressed);
        Assert.Equal(Json, json.ToArray());

        // The store compresses it as it always did: the row is the same as for a current item.
        var (payload, size) = EventPayload.ForAppend(StoredWith(json, compressed));
        Assert.Equal(Json.Length, size);
        Assert.Equal(EventPayload.Compress(Json), payload);
    }

    [Fact]
    public void An_empty_event_json_round_trips()
    {
        var (_, _, compressed) = IngestedEvent.Decode(IngestedEvent.Encode(Facts, []));

        Assert.Empty(Assert.NotNull(compressed).Decompress());
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        var good = IngestedEvent.Encode(Facts, Json);
        var factsLength = BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(4));
        byte[] With(int at, int value)
        {
            var copy = good.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(at), value);
            return copy;
        }

        var badFacts = good.ToArray();
        badFacts[16] = (byte)'#';
        var nullFacts = V2Item("null"u8.ToArray(), EventPayload.Compress(Json), Json.Length);
        return new()
        {
            { "empty", [] },
            { "shorter than the first length", [1, 2, 3] },
            { "v1 facts length beyond the end", [100, 0, 0, 0, (byte)'{', (byte)'}'] },
            { "v1 facts not JSON", [2, 0, 0, 0, (byte)'{', (byte)'x'] },
            { "v1 facts null", [4, 0, 0, 0, (byte)'n', (byte)'u', (byte)'l', (byte)'l'] },
            { "unknown version marker", With(0, -1) },
            { "v2 header cut short", good[..12] },
            { "v2 truncated by a byte", good[..^1] },
            { "v2 truncated to its facts", good[..(16 + factsLength)] },
            { "v2 padded by a byte", [.. good, 0] },
            { "v2 negative facts length", With(4, -5) },
            { "v2 facts length beyond the end", With(4, int.MaxValue) },
            { "v2 negative json length", With(8, -1) },
            { "v2 json length absurdly large", With(8, int.MaxValue) },
            { "v2 json length too small for the compressed bytes", With(8, 0) },
            { "v2 negative compressed length", With(12, -1) },
            { "v2 compressed length too large", With(12, int.MaxValue) },
            { "v2 no compressed bytes", V2Item(JsonSerializer.SerializeToUtf8Bytes(Facts, MonitoringJson.Options), [], 0) },
            { "v2 facts not JSON", badFacts },
            { "v2 facts null", nullFacts },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_item_fails_with_a_decode_error_the_grain_sets_aside(string because, byte[] item)
    {
        var error = Record.Exception(() => IngestedEvent.Decode(item));

        Assert.True(error is InvalidDataException or JsonException, $"{because}: {error?.GetType().Name ?? "no error"}");
    }

    [Fact]
    public void Alert_rules_inflate_a_compressed_event_only_when_they_read_it_and_once()
    {
        var (_, _, compressed) = IngestedEvent.Decode(IngestedEvent.Encode(Facts, Json));
        var loads = 0;
        var view = new EventJsonView(() =>
        {
            loads++;
            return compressed!.Value.Decompress();
        });

        Assert.Equal(0, loads);
        Assert.Equal("TypeError", view.Root!.Value.GetProperty("exception").GetProperty("values")[0].GetProperty("type").GetString());
        _ = view.Root;
        Assert.Equal(1, loads);
        Assert.Equal(1, view.Parses);
    }

    [Fact]
    public void A_corrupt_compressed_event_reads_as_no_event_object_for_alert_rules()
    {
        var corrupt = new CompressedEventJson(new byte[] { 1, 2, 3, 4, 5 }, 100);

        Assert.Throws<InvalidDataException>(() => corrupt.Decompress());
        Assert.Null(new EventJsonView(() => corrupt.Decompress()).Root);
    }

    private static StoredEvent StoredWith(ReadOnlyMemory<byte> json, CompressedEventJson? compressed) => new()
    {
        ProjectId = 7,
        EventId = new string('a', 32),
        IssueId = 1,
        Timestamp = Facts.Timestamp,
        Received = Facts.Received,
        Json = json,
        CompressedJson = compressed,
    };

    private static byte[] V2Item(byte[] facts, byte[] compressed, int jsonLength)
    {
        var item = new byte[16 + facts.Length + compressed.Length];
        BinaryPrimitives.WriteInt32LittleEndian(item, IngestedEvent.Version2Marker);
        BinaryPrimitives.WriteInt32LittleEndian(item.AsSpan(4), facts.Length);
        BinaryPrimitives.WriteInt32LittleEndian(item.AsSpan(8), jsonLength);
        BinaryPrimitives.WriteInt32LittleEndian(item.AsSpan(12), compressed.Length);
        facts.CopyTo(item, 16);
        compressed.CopyTo(item, 16 + facts.Length);
        return item;
    }
}
