using System.Text;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

public abstract class EventStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static StoredEvent Event(string id, long issueId = 1, int secondsAfter = 0, long offset = 1, string? json = null) => new()
    {
        ProjectId = 1,
        EventId = id,
        IssueId = issueId,
        Timestamp = T0.AddSeconds(secondsAfter),
        Received = T0.AddSeconds(secondsAfter + 1),
        StreamOffset = offset,
        Title = "TypeError: x",
        Message = "x is undefined",
        Platform = "javascript",
        Json = Encoding.UTF8.GetBytes(json ?? $"{{\"event_id\":\"{id}\"}}"),
    };

    private static string Id(int n) => n.ToString("x32");

    [Fact]
    public async Task Append_distinguishes_stored_redelivered_and_duplicate()
    {
        Assert.Equal(EventAppendResult.Stored, await Db.Events.AppendAsync(Event(Id(1), offset: 10)));
        Assert.Equal(EventAppendResult.Redelivered, await Db.Events.AppendAsync(Event(Id(1), offset: 10)));
        Assert.Equal(EventAppendResult.Duplicate, await Db.Events.AppendAsync(Event(Id(1), offset: 11)));

        // The same id in another project is another event.
        Assert.Equal(EventAppendResult.Stored, await Db.Events.AppendAsync(Event(Id(1), offset: 12) with { ProjectId = 2 }));
    }

    [Fact]
    public async Task Get_round_trips_every_field_and_the_compressed_payload()
    {
        var json = "{\"exception\":{\"values\":[" + string.Join(',', Enumerable.Repeat("{\"type\":\"TypeError\",\"value\":\"x is undefined\"}", 200)) + "]}}";
        var stored = Event(Id(7), issueId: 3, secondsAfter: 5, offset: 42, json: json);
        await Db.Events.AppendAsync(stored);

        var read = await Db.Events.GetAsync(1, Id(7));

        Assert.NotNull(read);
        Assert.Equal(json, Encoding.UTF8.GetString(read.Json.Span));
        Assert.Equal(stored with { Json = default }, read with { Json = default });
        Assert.Null(await Db.Events.GetAsync(1, Id(8)));
        Assert.Null(await Db.Events.GetAsync(2, Id(7)));
    }

    [Fact]
    public async Task Already_compressed_json_is_stored_as_given_and_reads_back_as_the_uncompressed_path_does()
    {
        var json = "{\"exception\":{\"values\":[" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"{{\"type\":\"TypeError\",\"value\":\"x{i}\"}}")) + "]}}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var compressed = CompressedEventJson.Compress(bytes);

        // A slice of a larger array, as the issue grain hands over the tail of a stream item.
        var item = new byte[10 + compressed.Bytes.Length];
        compressed.Bytes.CopyTo(item.AsMemory(10));
        await Db.Events.AppendAsync(Event(Id(1), offset: 1, json: json));
        await Db.Events.AppendAsync(Event(Id(2), offset: 2) with { Json = default, CompressedJson = new CompressedEventJson(item.AsMemory(10), bytes.Length) });

        var viaJson = await Db.Events.GetAsync(1, Id(1));
        var viaCompressed = await Db.Events.GetAsync(1, Id(2));
        Assert.Equal(bytes, viaJson!.Json.ToArray());
        Assert.Equal(bytes, viaCompressed!.Json.ToArray());
        Assert.Null(viaCompressed.CompressedJson);

        var rows = await Db.QueryAsync("SELECT event_id, payload, payload_size FROM events ORDER BY event_id");
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(compressed.Bytes.ToArray(), (byte[])row[1]!));
        Assert.All(rows, row => Assert.Equal((long)bytes.Length, (long)row[2]!));
    }

    [Fact]
    public async Task Payload_is_stored_compressed()
    {
        var json = "{\"message\":\"" + new string('a', 50_000) + "\"}";
        await Db.Events.AppendAsync(Event(Id(1), json: json));

        var row = Assert.Single(await Db.QueryAsync("SELECT length(payload), payload_size FROM events"));
        var size = (Compressed: (long)row[0]!, Raw: (long)row[1]!);
        Assert.Equal(json.Length, size.Raw);
        Assert.True(size.Compressed < 1_000, $"compressed to {size.Compressed} bytes");
    }

    [Fact]
    public async Task List_pages_newest_first_without_gaps_or_repeats()
    {
        for (var i = 0; i < 23; i++)
        {
            await Db.Events.AppendAsync(Event(Id(i), secondsAfter: i / 2, offset: i)); // pairs share a timestamp
        }

        await Db.Events.AppendAsync(Event(Id(99), issueId: 2));

        var seen = new List<StoredEvent>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Db.Events.ListByIssueAsync(1, 5, cursor);
            seen.AddRange(page.Events);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(5, pages);
        Assert.Equal(23, seen.Count);
        Assert.Equal(23, seen.Select(e => e.EventId).Distinct().Count());
        var expected = seen.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.EventId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(e => e.EventId), seen.Select(e => e.EventId));
    }

    [Fact]
    public async Task Edges_and_neighbors_follow_timestamps()
    {
        await Db.Events.AppendAsync(Event(Id(2), secondsAfter: 20));
        await Db.Events.AppendAsync(Event(Id(1), secondsAfter: 10));
        await Db.Events.AppendAsync(Event(Id(3), secondsAfter: 30));

        Assert.Equal(Id(3), (await Db.Events.GetEdgeAsync(1, latest: true))!.EventId);
        Assert.Equal(Id(1), (await Db.Events.GetEdgeAsync(1, latest: false))!.EventId);
        Assert.Null(await Db.Events.GetEdgeAsync(5, latest: true));
        Assert.Equal((Id(1), Id(3)), await Db.Events.GetNeighborsAsync(1, Id(2)));
        Assert.Equal(((string?)null, Id(2)), await Db.Events.GetNeighborsAsync(1, Id(1)));
        Assert.Equal((Id(2), (string?)null), await Db.Events.GetNeighborsAsync(1, Id(3)));
        Assert.Equal(((string?)null, (string?)null), await Db.Events.GetNeighborsAsync(1, Id(9)));
    }

    // Neighbours within an issue by (timestamp, event id): events 2 and 3 share a timestamp and are ordered by id;
    // event 5 is another issue's (at the same time), event 9 does not exist. One statement on both backends.
    [Theory]
    [InlineData(1, 1, null, 2)]
    [InlineData(1, 2, 1, 3)]
    [InlineData(1, 3, 2, 4)]
    [InlineData(1, 4, 3, null)]
    [InlineData(1, 5, null, null)]
    [InlineData(1, 9, null, null)]
    [InlineData(2, 5, null, null)]
    [InlineData(2, 2, null, null)]
    public async Task Neighbors_break_timestamp_ties_by_id_and_stay_within_the_issue(long issueId, int eventId, int? previous, int? next)
    {
        await Db.Events.AppendAsync(Event(Id(4), secondsAfter: 30));
        await Db.Events.AppendAsync(Event(Id(3), secondsAfter: 20));
        await Db.Events.AppendAsync(Event(Id(1), secondsAfter: 10));
        await Db.Events.AppendAsync(Event(Id(2), secondsAfter: 20));
        await Db.Events.AppendAsync(Event(Id(5), issueId: 2, secondsAfter: 20));

        Assert.Equal((previous is { } p ? Id(p) : null, next is { } n ? Id(n) : null), await Db.Events.GetNeighborsAsync(issueId, Id(eventId)));
    }

    [Fact]
    public async Task Delete_by_issue_removes_only_that_issue()
    {
        await Db.Events.AppendAsync(Event(Id(1), issueId: 1));
        await Db.Events.AppendAsync(Event(Id(2), issueId: 2));

        await Db.Events.DeleteByIssueAsync(1);

        Assert.Null(await Db.Events.GetAsync(1, Id(1)));
        Assert.NotNull(await Db.Events.GetAsync(1, Id(2)));
    }

    [Fact]
    public async Task Concurrent_appends_of_one_id_store_it_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Db.Events.AppendAsync(Event(Id(5), offset: i))));

        Assert.Single(results, r => r == EventAppendResult.Stored);
        Assert.Equal(19, results.Count(r => r == EventAppendResult.Duplicate));
    }

    [Fact]
    public async Task A_malformed_cursor_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Events.ListByIssueAsync(1, 5, "not a cursor"));
    }
}

public sealed class SqliteEventStoreTests : EventStoreTests<SqliteBackend>;

public sealed class PostgresEventStoreTests : EventStoreTests<PostgresBackend>;
