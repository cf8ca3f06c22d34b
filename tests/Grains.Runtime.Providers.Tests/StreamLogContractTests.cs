using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests;

/// <summary>
/// The contract of <see cref="IStreamLog"/>, run against every provider by a subclass that supplies
/// a fresh, empty log.
/// </summary>
public abstract class StreamLogContractTests : IAsyncLifetime
{
    /// <summary>The provider under test.</summary>
    protected IStreamLog Log { get; set; } = null!;

    public async Task InitializeAsync() => Log = await CreateLogAsync();

    public Task DisposeAsync() => DisposeLogAsync();

    /// <summary>Creates the provider over a new, empty store.</summary>
    protected abstract Task<IStreamLog> CreateLogAsync();

    /// <summary>Releases what <see cref="CreateLogAsync"/> created.</summary>
    protected virtual Task DisposeLogAsync() => Task.CompletedTask;

    protected static StreamRecord Record(int partition, string key, string payload) =>
        new(partition, new StreamId("events", key), TestData.Bytes(payload));

    /// <summary>Every record of a partition, paging with a small page size.</summary>
    protected async Task<List<StoredStreamRecord>> ReadAllAsync(int partition, long afterOffset = 0, int pageSize = 7)
    {
        var all = new List<StoredStreamRecord>();
        while (true)
        {
            var page = await Log.ReadAsync(partition, afterOffset, pageSize);
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }

            afterOffset = page[^1].Offset;
        }
    }

    [Fact]
    public async Task Reading_an_empty_partition_returns_nothing()
    {
        Assert.Empty(await Log.ReadAsync(3, 0, 10));
    }

    [Fact]
    public async Task Appended_records_read_back_in_order_with_increasing_offsets()
    {
        var before = DateTimeOffset.UtcNow;
        await Log.AppendAsync([Record(0, "a", "1"), Record(0, "b", "2")]);
        await Log.AppendAsync([Record(0, "a", "3")]);
        var after = DateTimeOffset.UtcNow;

        var records = await Log.ReadAsync(0, 0, 100);

        Assert.Equal(["1", "2", "3"], records.Select(r => TestData.Text(r.Payload)));
        Assert.Equal([new StreamId("events", "a"), new StreamId("events", "b"), new StreamId("events", "a")], records.Select(r => r.Stream));
        Assert.True(records[0].Offset > 0);
        Assert.True(records[0].Offset < records[1].Offset && records[1].Offset < records[2].Offset);
        Assert.All(records, r => Assert.InRange(r.AppendedAt, before.AddSeconds(-1), after.AddSeconds(1)));
    }

    [Fact]
    public async Task Reading_after_an_offset_returns_only_later_records()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Record(1, "k", $"{i}"))]);
        var all = await Log.ReadAsync(1, 0, 100);

        var later = await Log.ReadAsync(1, all[2].Offset, 100);

        Assert.Equal(["3", "4"], later.Select(r => TestData.Text(r.Payload)));
        Assert.Empty(await Log.ReadAsync(1, all[^1].Offset, 100));
    }

    [Fact]
    public async Task Reads_return_at_most_max_count_records()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 20).Select(i => Record(2, "k", $"{i}"))]);

        Assert.Equal(5, (await Log.ReadAsync(2, 0, 5)).Count);
        var paged = await ReadAllAsync(2, pageSize: 3);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{i}"), paged.Select(r => TestData.Text(r.Payload)));
    }

    [Fact]
    public async Task A_non_positive_max_count_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.ReadAsync(0, 0, 0));
    }

    [Fact]
    public async Task Partitions_are_isolated()
    {
        await Log.AppendAsync([Record(0, "x", "p0-1"), Record(1, "y", "p1-1"), Record(0, "x", "p0-2")]);
        await Log.AppendAsync([Record(1, "y", "p1-2")]);

        Assert.Equal(["p0-1", "p0-2"], (await ReadAllAsync(0)).Select(r => TestData.Text(r.Payload)));
        Assert.Equal(["p1-1", "p1-2"], (await ReadAllAsync(1)).Select(r => TestData.Text(r.Payload)));
        Assert.Empty(await ReadAllAsync(2));
    }

    [Fact]
    public async Task Concurrent_appends_are_each_read_once_in_offset_order()
    {
        const int writers = 8;
        const int appends = 40;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < appends; i++)
            {
                await Log.AppendAsync([Record(w % 3, $"w{w}", $"{w}:{i}")]);
            }
        })));

        var seen = new List<string>();
        for (var partition = 0; partition < 3; partition++)
        {
            var records = await ReadAllAsync(partition);
            Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset));
            var payloads = records.Select(r => TestData.Text(r.Payload)).ToList();
            seen.AddRange(payloads);

            // One writer appends sequentially, so its records keep their order within the partition.
            foreach (var writer in payloads.GroupBy(p => p.Split(':')[0]))
            {
                Assert.Equal(Enumerable.Range(0, appends), writer.Select(p => int.Parse(p.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        Assert.Equal(writers * appends, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task An_empty_append_does_nothing()
    {
        await Log.AppendAsync([]);

        Assert.Empty(await Log.ReadAsync(0, 0, 10));
    }

    [Fact]
    public async Task The_payload_is_copied_on_append()
    {
        var buffer = TestData.Bytes("original");

        await Log.AppendAsync([new StreamRecord(0, new StreamId("events", "k"), buffer)]);
        TestData.Bytes("reused!!").CopyTo(buffer, 0);

        Assert.Equal("original", TestData.Text((await Log.ReadAsync(0, 0, 1))[0].Payload));
    }

    [Fact]
    public async Task The_checkpoint_is_zero_until_set()
    {
        Assert.Equal(0, await Log.GetCheckpointAsync(5));
    }

    [Fact]
    public async Task Checkpoints_are_set_per_partition_and_never_move_backwards()
    {
        await Log.SetCheckpointAsync(0, 10);
        await Log.SetCheckpointAsync(1, 20);
        await Log.SetCheckpointAsync(0, 15);
        await Log.SetCheckpointAsync(1, 5);

        Assert.Equal(15, await Log.GetCheckpointAsync(0));
        Assert.Equal(20, await Log.GetCheckpointAsync(1));
        Assert.Equal(0, await Log.GetCheckpointAsync(2));
    }

    [Fact]
    public async Task Records_above_the_checkpoint_stay_readable()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 6).Select(i => Record(0, "k", $"{i}"))]);
        await Log.AppendAsync([Record(1, "k", "other")]);
        var records = await Log.ReadAsync(0, 0, 100);

        await Log.SetCheckpointAsync(0, records[2].Offset);

        var checkpoint = await Log.GetCheckpointAsync(0);
        Assert.Equal(records[2].Offset, checkpoint);
        Assert.Equal(["3", "4", "5"], (await Log.ReadAsync(0, checkpoint, 100)).Select(r => TestData.Text(r.Payload)));
        Assert.Equal(["other"], (await Log.ReadAsync(1, 0, 100)).Select(r => TestData.Text(r.Payload)));
    }

    [Fact]
    public async Task Records_appended_after_a_checkpoint_at_the_end_get_higher_offsets()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2")]);
        var last = (await Log.ReadAsync(0, 0, 100))[^1].Offset;
        await Log.SetCheckpointAsync(0, last);

        await Log.AppendAsync([Record(0, "k", "3")]);

        var next = Assert.Single(await Log.ReadAsync(0, await Log.GetCheckpointAsync(0), 100));
        Assert.Equal("3", TestData.Text(next.Payload));
        Assert.True(next.Offset > last);
    }
}
