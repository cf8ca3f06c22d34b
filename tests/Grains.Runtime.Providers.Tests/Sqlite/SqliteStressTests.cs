using System.Buffers.Binary;
using Grains.Runtime.Persistence;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

/// <summary>
/// The SQLite provider under many concurrent writers: nothing fails with "database is locked",
/// nothing is lost or duplicated, and a reader tailing the log never skips a record.
/// </summary>
public sealed class SqliteStressTests : IAsyncLifetime
{
    private const int Appenders = 16;
    private const int AppendsPerAppender = 2_000;
    private const int Partitions = 8;
    private const int StateWriters = 4;
    private const int WritesPerStateWriter = 500;
    private const int ContendingWriters = 2;
    private const int WritesPerContendingWriter = 250;

    private readonly SqliteTestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Sixteen_concurrent_appenders_and_state_writers_lose_nothing()
    {
        var database = _store.Open();
        var log = new SqliteStreamLog(database);
        var storage = new SqliteGrainStorage(database);
        using var stop = new CancellationTokenSource();

        var appenders = Enumerable.Range(0, Appenders).Select(a => Task.Run(() => AppendAsync(log, a))).ToArray();
        var stateWriters = Enumerable.Range(0, StateWriters).Select(w => Task.Run(() => WriteOwnGrainAsync(storage, w))).ToArray();
        var shared = TestData.NewGrain();
        var contending = Enumerable.Range(0, ContendingWriters).Select(_ => Task.Run(() => ContendAsync(storage, shared))).ToArray();
        var tailer = Task.Run(() => TailAsync(log, stop.Token));

        await Task.WhenAll(appenders.Concat(stateWriters));
        var successes = (await Task.WhenAll(contending)).Sum();
        await stop.CancelAsync();
        var tailed = await tailer;

        // Every appended record read back exactly once, per partition in offset order, each appender's in its order.
        var seen = new HashSet<(int Appender, int Append, int Item)>();
        for (var partition = 0; partition < Partitions; partition++)
        {
            var records = await ReadPartitionAsync(log, partition);
            Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset), $"partition {partition} is out of offset order");
            var lastAppend = new Dictionary<int, int>();
            foreach (var record in records)
            {
                var (appender, append, item, recordPartition) = Decode(record.Payload);
                Assert.Equal(partition, recordPartition);
                Assert.True(seen.Add((appender, append, item)), $"record {appender}/{append}/{item} read twice");
                Assert.True(append >= lastAppend.GetValueOrDefault(appender), $"appender {appender} reordered in partition {partition}");
                lastAppend[appender] = append;
            }

            // The tailer read while appends committed; had a lower offset become visible after a higher one, it would have skipped it.
            Assert.Equal(records.Select(r => r.Offset), tailed[partition]);
        }

        Assert.Equal(Enumerable.Range(0, Appenders).Sum(a => Enumerable.Range(0, AppendsPerAppender).Sum(i => BatchSize(a, i))), seen.Count);

        for (var writer = 0; writer < StateWriters; writer++)
        {
            var record = await storage.ReadAsync("state", OwnGrain(writer));
            Assert.Equal($"{writer}:{WritesPerStateWriter - 1}", TestData.Text(record!.Payload));
        }

        // Versions count writes: the contended grain's ETag equals the number of writes that won.
        Assert.Equal(successes.ToString(System.Globalization.CultureInfo.InvariantCulture), (await storage.ReadAsync("state", shared))!.ETag);
    }

    private static int BatchSize(int appender, int append) => 1 + ((appender + append) % 3);

    private static GrainId OwnGrain(int writer) => new("stress", $"own-{writer}");

    private static async Task AppendAsync(IStreamLog log, int appender)
    {
        for (var append = 0; append < AppendsPerAppender; append++)
        {
            var batch = new StreamRecord[BatchSize(appender, append)];
            for (var item = 0; item < batch.Length; item++)
            {
                var partition = (appender + append + item) % Partitions;
                batch[item] = new StreamRecord(partition, new StreamId("stress", $"a{appender}"), Encode(appender, append, item, partition));
            }

            await log.AppendAsync(batch);
        }
    }

    private static async Task WriteOwnGrainAsync(IGrainStorage storage, int writer)
    {
        string? etag = null;
        for (var i = 0; i < WritesPerStateWriter; i++)
        {
            etag = await storage.WriteAsync("state", OwnGrain(writer), TestData.Bytes($"{writer}:{i}"), etag);
        }
    }

    /// <summary>Read-modify-write on a grain another writer also updates; returns how many of its writes won.</summary>
    private static async Task<int> ContendAsync(IGrainStorage storage, GrainId grain)
    {
        var wins = 0;
        for (var i = 0; i < WritesPerContendingWriter; i++)
        {
            var current = await storage.ReadAsync("state", grain);
            try
            {
                await storage.WriteAsync("state", grain, TestData.Bytes($"{i}"), current?.ETag);
                wins++;
            }
            catch (InconsistentStateException)
            {
                // The other writer won this round: expected, and it must not disturb anything else.
            }
        }

        return wins;
    }

    private static async Task<List<long>[]> TailAsync(IStreamLog log, CancellationToken stop)
    {
        var offsets = Enumerable.Range(0, Partitions).Select(_ => new List<long>()).ToArray();
        while (true)
        {
            // Read the flag first: one full pass after the appenders finished picks up everything.
            var last = stop.IsCancellationRequested;
            for (var partition = 0; partition < Partitions; partition++)
            {
                var after = offsets[partition].Count > 0 ? offsets[partition][^1] : 0;
                foreach (var record in await log.ReadAsync(partition, after, 500))
                {
                    offsets[partition].Add(record.Offset);
                }
            }

            if (last)
            {
                return await DrainAsync(log, offsets);
            }

            await Task.Delay(1, CancellationToken.None);
        }
    }

    private static async Task<List<long>[]> DrainAsync(IStreamLog log, List<long>[] offsets)
    {
        for (var partition = 0; partition < Partitions; partition++)
        {
            while (true)
            {
                var after = offsets[partition].Count > 0 ? offsets[partition][^1] : 0;
                var page = await log.ReadAsync(partition, after, 500);
                if (page.Count == 0)
                {
                    break;
                }

                offsets[partition].AddRange(page.Select(r => r.Offset));
            }
        }

        return offsets;
    }

    private static async Task<List<StoredStreamRecord>> ReadPartitionAsync(IStreamLog log, int partition)
    {
        var records = new List<StoredStreamRecord>();
        while (true)
        {
            var page = await log.ReadAsync(partition, records.Count > 0 ? records[^1].Offset : 0, 1_000);
            if (page.Count == 0)
            {
                return records;
            }

            records.AddRange(page);
        }
    }

    private static byte[] Encode(int appender, int append, int item, int partition)
    {
        var payload = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, appender);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), append);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), item);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(12), partition);
        return payload;
    }

    private static (int Appender, int Append, int Item, int Partition) Decode(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        return (
            BinaryPrimitives.ReadInt32LittleEndian(span),
            BinaryPrimitives.ReadInt32LittleEndian(span[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[12..]));
    }
}
