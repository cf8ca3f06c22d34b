using Grains.Runtime.Postgres;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests.Postgres;

public sealed class PostgresStreamLogTests : DurableStreamLogContractTests
{
    private PostgresTestStore _store = null!;

    protected override async Task<IStreamLog> CreateLogAsync()
    {
        _store = await PostgresTestStore.CreateAsync();
        return new PostgresStreamLog(_store.Open());
    }

    protected override async Task<IStreamLog> ReopenLogAsync() => new PostgresStreamLog(await _store.ReopenAsync());

    protected override Task DisposeLogAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Setting_a_checkpoint_trims_the_records_at_or_below_it_by_default()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2"), Record(0, "k", "3"), Record(1, "k", "other")]);
        var records = await Log.ReadAsync(0, 0, 10);

        await Log.SetCheckpointAsync(0, records[1].Offset);

        Assert.Equal(["3"], (await Log.ReadAsync(0, 0, 10)).Select(r => TestData.Text(r.Payload)));
        Assert.Equal(["other"], (await Log.ReadAsync(1, 0, 10)).Select(r => TestData.Text(r.Payload)));
    }

    [Fact]
    public async Task A_lower_checkpoint_trims_nothing_more()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2"), Record(0, "k", "3")]);
        var records = await Log.ReadAsync(0, 0, 10);
        await Log.SetCheckpointAsync(0, records[1].Offset);

        await Log.SetCheckpointAsync(0, records[0].Offset);

        Assert.Equal(records[1].Offset, await Log.GetCheckpointAsync(0));
        Assert.Equal(["3"], (await Log.ReadAsync(0, 0, 10)).Select(r => TestData.Text(r.Payload)));
    }

    [Fact]
    public async Task Trimming_can_be_turned_off()
    {
        await using var store = await PostgresTestStore.CreateAsync(o => o.TrimStreamOnCheckpoint = false);
        var log = new PostgresStreamLog(store.Open());
        await log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2")]);
        var records = await log.ReadAsync(0, 0, 10);

        await log.SetCheckpointAsync(0, records[1].Offset);

        Assert.Equal(2, (await log.ReadAsync(0, 0, 10)).Count);
    }

    [Fact]
    public async Task Offsets_of_a_partition_are_contiguous_from_one_and_never_reused_after_trimming()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(3, "k", "x"), Record(0, "k", "2")]);
        await Log.AppendAsync([Record(0, "k", "3")]);
        Assert.Equal([1L, 2L, 3L], (await Log.ReadAsync(0, 0, 10)).Select(r => r.Offset));
        Assert.Equal([1L], (await Log.ReadAsync(3, 0, 10)).Select(r => r.Offset));

        await Log.SetCheckpointAsync(0, 3);
        Log = await ReopenLogAsync();
        await Log.AppendAsync([Record(0, "k", "4")]);

        Assert.Equal([4L], (await Log.ReadAsync(0, 0, 10)).Select(r => r.Offset));
    }

    [Fact]
    public async Task An_append_larger_than_the_batch_size_spanning_partitions_is_one_transaction_in_order()
    {
        await using var store = await PostgresTestStore.CreateAsync(o => o.MaxAppendBatch = 7);
        var log = new PostgresStreamLog(store.Open());

        // 3 partitions interleaved, 60 records: 9 statements in one transaction.
        await log.AppendAsync([.. Enumerable.Range(0, 60).Select(i => Record(2 - (i % 3), "k", $"{2 - (i % 3)}:{i}"))]);

        for (var partition = 0; partition < 3; partition++)
        {
            var records = await log.ReadAsync(partition, 0, 100);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), records.Select(r => r.Offset));
            Assert.Equal(
                Enumerable.Range(0, 60).Where(i => 2 - (i % 3) == partition).Select(i => $"{partition}:{i}"),
                records.Select(r => TestData.Text(r.Payload)));
        }
    }

    [Fact]
    public async Task A_failed_append_leaves_nothing_and_its_offsets_are_reused()
    {
        await using var store = await PostgresTestStore.CreateAsync(o => o.MaxAppendBatch = 2);
        var log = new PostgresStreamLog(store.Open());
        await log.AppendAsync([Record(0, "k", "1")]);

        // A NUL character is valid in .NET strings but not in PostgreSQL text: the second chunk (partition 1) fails.
        await Assert.ThrowsAnyAsync<Exception>(() => log.AppendAsync([Record(0, "k", "2"), Record(0, "k", "3"), Record(1, "k", "4"), Record(1, "bad\0key", "5")]));

        Assert.Equal(["1"], (await log.ReadAsync(0, 0, 10)).Select(r => TestData.Text(r.Payload)));
        Assert.Empty(await log.ReadAsync(1, 0, 10));
        await log.AppendAsync([Record(0, "k", "6")]);
        Assert.Equal([1L, 2L], (await log.ReadAsync(0, 0, 10)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Appends_called_before_the_previous_one_completed_take_offsets_in_call_order()
    {
        // The runtime's producer hands the next group to the log while the previous one commits, and
        // relies on the log committing its calls in call order (each group on its own connection here).
        for (var round = 0; round < 5; round++)
        {
            var partition = 10 + round;
            var appends = Enumerable.Range(0, 40).Select(i => Log.AppendAsync(i % 3 == 0
                ? [Record(partition, "k", $"{i}")]
                : [Record(partition + 100, "other", $"{i}"), Record(partition, "k", $"{i}"), Record(partition - 10, "low", $"{i}")])).ToList();
            await Task.WhenAll(appends);

            Assert.Equal(Enumerable.Range(0, 40).Select(i => $"{i}"), (await ReadAllAsync(partition)).Select(r => TestData.Text(r.Payload)));
        }
    }

    [Fact]
    public async Task Records_keep_namespace_key_empty_and_large_payloads()
    {
        var large = new byte[1 << 20];
        Random.Shared.NextBytes(large);
        await Log.AppendAsync([
            new StreamRecord(4, new StreamId("ns-a", "key é ✓"), ReadOnlyMemory<byte>.Empty),
            new StreamRecord(4, new StreamId("ns-b", ""), large),
        ]);

        var records = await Log.ReadAsync(4, 0, 10);

        Assert.Equal(new StreamId("ns-a", "key é ✓"), records[0].Stream);
        Assert.Equal(0, records[0].Payload.Length);
        Assert.Equal(new StreamId("ns-b", ""), records[1].Stream);
        Assert.True(records[1].Payload.Span.SequenceEqual(large));
    }
}
