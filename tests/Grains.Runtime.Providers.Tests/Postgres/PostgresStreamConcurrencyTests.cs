using System.Buffers.Binary;
using Grains.Runtime.Postgres;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests.Postgres;

/// <summary>
/// Several silos (each its own <see cref="PostgresDatabase"/> and connection pool) append to one
/// partition at once while a reader tails it and checkpoints as it goes, trimming behind itself: the
/// reader must see every record exactly once, at strictly increasing offsets, skipping none. A log
/// whose offsets could become visible out of order (a sequence, say) fails this: the reader would
/// move past an offset that commits a moment later, and never read it.
/// </summary>
public sealed class PostgresStreamConcurrencyTests : IAsyncLifetime
{
    private const int Silos = 4;
    private const int AppendersPerSilo = 3;
    private const int AppendsPerAppender = 60;
    private const int Partition = 5;

    // Below and above the tailed partition, so appends lock counters on both sides of it.
    private static readonly int[] OtherPartitions = [0, 2, 6, 7];

    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task A_tailing_reader_sees_every_concurrently_appended_record_once_in_offset_order()
    {
        var logs = Enumerable.Range(0, Silos).Select(_ => new PostgresStreamLog(_store.OpenAnother())).ToArray();
        var reader = new PostgresStreamLog(_store.Open());
        using var stop = new CancellationTokenSource();

        var tail = Task.Run(() => TailAsync(reader, stop.Token));
        var appenders = Enumerable.Range(0, Silos * AppendersPerSilo).Select(a => Task.Run(async () =>
        {
            var log = logs[a % Silos];
            var expected = 0;
            for (var append = 0; append < AppendsPerAppender; append++)
            {
                // Batches of 1 to 5 records, some also touching other partitions (locked in ascending order).
                var size = 1 + ((a + append) % 5);
                var batch = new List<StreamRecord>();
                for (var item = 0; item < size; item++)
                {
                    batch.Add(new StreamRecord(Partition, new StreamId("events", $"a{a}"), Encode(a, append, item)));
                    if ((append + item) % 4 == 0)
                    {
                        batch.Add(new StreamRecord(OtherPartitions[(a + item) % OtherPartitions.Length], new StreamId("other", $"a{a}"), Encode(a, append, item)));
                    }
                }

                await log.AppendAsync(batch);
                expected += size;
            }

            return expected;
        })).ToArray();

        var appended = (await Task.WhenAll(appenders)).Sum();
        await stop.CancelAsync();
        var seen = await tail;

        // The tail stops at once when cancelled; read what it had not reached yet.
        seen.AddRange(await DrainAsync(reader, await reader.GetCheckpointAsync(Partition)));

        Assert.Equal(appended, seen.Count);
        Assert.Equal(Enumerable.Range(1, appended).Select(i => (long)i), seen.Select(r => r.Offset));
        var distinct = seen.Select(r => Decode(r.Payload)).ToHashSet();
        Assert.Equal(appended, distinct.Count);

        // Each appender appends sequentially, so its records keep their order in the partition.
        foreach (var appender in seen.Select(r => Decode(r.Payload)).GroupBy(r => r.Appender))
        {
            var order = appender.Select(r => (r.Append, r.Item)).ToList();
            Assert.Equal(order.OrderBy(o => o.Append).ThenBy(o => o.Item), order);
        }
    }

    /// <summary>Reads from the checkpoint on, checkpointing (and so trimming) after every page.</summary>
    private static async Task<List<StoredStreamRecord>> TailAsync(PostgresStreamLog log, CancellationToken stop)
    {
        var seen = new List<StoredStreamRecord>();
        var position = await log.GetCheckpointAsync(Partition, CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var page = await log.ReadAsync(Partition, position, 37, CancellationToken.None);
            if (page.Count == 0)
            {
                await Task.Delay(1, CancellationToken.None);
                continue;
            }

            foreach (var record in page)
            {
                Assert.True(record.Offset > position, $"offset {record.Offset} read after {position}");
                position = record.Offset;
                seen.Add(record);
            }

            await log.SetCheckpointAsync(Partition, position, CancellationToken.None);
        }

        return seen;
    }

    private static async Task<List<StoredStreamRecord>> DrainAsync(PostgresStreamLog log, long after)
    {
        var rest = new List<StoredStreamRecord>();
        while (true)
        {
            var page = await log.ReadAsync(Partition, after, 100);
            if (page.Count == 0)
            {
                return rest;
            }

            rest.AddRange(page);
            after = page[^1].Offset;
        }
    }

    private static byte[] Encode(int appender, int append, int item)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, appender);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), append);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), item);
        return bytes;
    }

    private static (int Appender, int Append, int Item) Decode(ReadOnlyMemory<byte> payload) => (
        BinaryPrimitives.ReadInt32LittleEndian(payload.Span),
        BinaryPrimitives.ReadInt32LittleEndian(payload.Span[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(payload.Span[8..]));
}
