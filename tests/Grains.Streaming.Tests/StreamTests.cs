using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Internal;
using Orleans.Runtime.Providers;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Grains.Streaming.Tests;

/// <summary>The provider in Orleans' in-process test cluster, on an in-memory log that outlives the clusters.</summary>
public sealed class StreamTests(ITestOutputHelper output)
{
    public const string Namespace = "ledger";
    public const string Provider = "log";
    private const int Queues = 8;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly MemoryDurableLog _log = new();
    private readonly Ledger _ledger = new();

    [Fact]
    public async Task Every_appended_item_is_delivered_once_in_offset_order_and_the_checkpoint_reaches_the_end()
    {
        await using var cluster = await StartAsync();
        var producer = Producer();
        var keys = Enumerable.Range(0, 50).Select(i => $"s{i}").ToArray();
        for (var round = 0; round < 40; round++)
        {
            await producer.AppendAsync([.. keys.Select(key => Message(key, round))]);
        }

        await Eventually(() => _ledger.Applied == 2_000, "all 2,000 items applied");
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, 40).Select(seq => $"{key}:{seq}"), _ledger.PayloadsOf(key).Select(Encoding.UTF8.GetString));
            var offsets = _ledger.OffsetsOf(key);
            Assert.True(offsets.Zip(offsets.Skip(1)).All(pair => pair.First < pair.Second), "offsets ascend");
        }

        Assert.Equal(0, _ledger.Duplicates);
        foreach (var key in keys)
        {
            var partition = PartitionOf(key);
            var last = _ledger.OffsetsOf(key)[^1];
            await Eventually(() => _log.GetCheckpoint(partition) >= last, $"checkpoint of partition {partition} passes {last}");
        }
    }

    [Fact]
    public async Task The_items_of_one_stream_from_one_read_arrive_in_one_call()
    {
        var producer = Producer();
        // 21 streams: within the 25 containers a read may hand Orleans' default-sized cache of this provider.
        var others = KeysInPartition(PartitionOf("hot"), 20, "other").ToArray();
        var messages = new List<DurableLogMessage>();
        for (var i = 0; i < 30; i++)
        {
            messages.Add(Message("hot", i));
            messages.Add(Message(others[i % others.Length], i / others.Length));
        }

        await producer.AppendAsync(messages); // before the silo starts: its first read takes all 60
        await using var cluster = await StartAsync();

        await Eventually(() => _ledger.Applied == 60, "all 60 items applied");
        Assert.Equal([30], _ledger.CallSizesOf("hot"));
        Assert.Equal(Enumerable.Range(0, 30).Select(seq => $"hot:{seq}"), _ledger.PayloadsOf("hot").Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public async Task The_checkpoint_stays_below_an_item_whose_grain_call_has_not_completed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ledger.Before = (key, _) => key == "blocked" ? gate.Task : Task.CompletedTask;
        await using var cluster = await StartAsync();
        var producer = Producer();
        var partition = PartitionOf("blocked");
        var neighbours = KeysInPartition(partition, 20, "n").ToArray();

        await producer.AppendAsync([.. neighbours.Select(key => Message(key, 0))]);
        await Eventually(() => _ledger.Applied == 20, "the first 20 applied");
        var before = _ledger.OffsetsOf(neighbours[^1])[0];
        await Eventually(() => _log.GetCheckpoint(partition) >= before, "the checkpoint follows them");

        await producer.AppendAsync([Message("blocked", 0)]);
        await producer.AppendAsync([.. neighbours.Select(key => Message(key, 1))]);
        await Eventually(() => _ledger.Applied == 40, "the 20 after the blocked item applied");
        await AfterReads(partition, 10);
        var blocked = neighbours.Select(key => _ledger.OffsetsOf(key)[1]).Min() - 1; // the blocked item's offset: appended right before them
        Assert.False(_ledger.IsApplied("blocked", blocked));
        Assert.True(_log.GetCheckpoint(partition) < blocked, $"checkpoint {_log.GetCheckpoint(partition)} stays below {blocked}");

        gate.SetResult();
        await Eventually(() => _ledger.Applied == 41, "the blocked item applied once released");
        var last = neighbours.Select(key => _ledger.OffsetsOf(key)[1]).Max();
        await Eventually(() => _log.GetCheckpoint(partition) >= last, "the checkpoint passes everything");
    }

    [Fact]
    public async Task After_a_killed_silo_everything_after_the_checkpoint_is_redelivered_and_applied_exactly_once()
    {
        const int streams = 100, perStream = 100;
        var keys = Enumerable.Range(0, streams).Select(i => $"k{i}").ToArray();
        // Every other stream of partition 0 cannot complete a call that carries its 51st item or later
        // in the first cluster: that partition's checkpoint must stay below the first of those, while
        // its other streams and the other partitions finish.
        var stuck = keys.Where(key => PartitionOf(key) == 0).Where((_, i) => i % 2 == 0).ToHashSet();
        var firstCluster = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ledger.Before = (key, items) => stuck.Contains(key) && items.Any(item => Sequence(item.Item) >= 50) ? firstCluster.Task : Task.CompletedTask;

        var producer = Producer();
        var cluster = await StartAsync();
        for (var round = 0; round < perStream; round++)
        {
            await producer.AppendAsync([.. keys.Select(key => Message(key, round))]);
        }

        var others = (streams - stuck.Count) * perStream;
        await Eventually(() => keys.Where(key => !stuck.Contains(key)).All(key => _ledger.OffsetsOf(key).Count == perStream), "the streams of the other partitions applied");
        long LastOffsetOf(int partition) => keys.Select((key, j) => (key, j)).Where(k => PartitionOf(k.key) == partition).Max(k => (99L * streams) + k.j + 1);
        for (var partition = 1; partition < Queues; partition++)
        {
            var last = LastOffsetOf(partition);
            await Eventually(() => _log.GetCheckpoint(partition) == last, $"partition {partition} checkpointed to its end");
        }

        var stuckAt = keys.Select((key, j) => (key, j)).Where(k => stuck.Contains(k.key)).Min(k => (50L * streams) + k.j + 1);
        Assert.True(_log.GetCheckpoint(0) < stuckAt);

        var appliedBeforeCrash = _ledger.Applied;

        // Crash: no graceful stop, so no final checkpoint; the stuck calls fail afterwards.
        await cluster.KillSiloAsync(cluster.Silos[0]);
        firstCluster.SetException(new InvalidOperationException("the silo is gone"));
        await cluster.DisposeAsync();

        // The checkpoint never passed an item that was not applied. The fresh log numbers items in
        // append order: round r of key j has offset r * streams + j + 1.
        var heldBack = 0;
        for (var j = 0; j < streams; j++)
        {
            var checkpoint = _log.GetCheckpoint(PartitionOf(keys[j]));
            for (var round = 0; round < perStream; round++)
            {
                long offset = (round * streams) + j + 1;
                if (offset <= checkpoint)
                {
                    Assert.True(_ledger.IsApplied(keys[j], offset), $"{keys[j]} offset {offset} is behind checkpoint {checkpoint} but was not applied");
                }
                else
                {
                    heldBack++;
                }
            }
        }

        Assert.True(heldBack >= stuck.Count * 50);
        Assert.All(stuck, key => Assert.True(_ledger.OffsetsOf(key).Count <= 50));

        _ledger.Before = null;
        await using var second = await StartAsync();
        await Eventually(() => _ledger.Applied == streams * perStream, "all 10,000 items applied");
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, perStream).Select(seq => $"{key}:{seq}"), _ledger.PayloadsOf(key).Select(Encoding.UTF8.GetString));
        }

        Assert.True(_ledger.Duplicates > 0, "items applied before the crash but above the checkpoint came again (and were skipped)");
        output.WriteLine($"partition 0: {stuck.Count} stuck streams, checkpoint at the crash below {stuckAt}; applied before the crash {appliedBeforeCrash}, held back by checkpoints {heldBack}, redelivered and skipped {_ledger.Duplicates}, calls {_ledger.Calls}");
    }

    [Fact]
    public async Task A_silo_that_leaves_gracefully_hands_its_queues_over_without_loss()
    {
        const int streams = 100, perStream = 50;
        var keys = Enumerable.Range(0, streams).Select(i => $"h{i}").ToArray();
        await using var cluster = await StartAsync(silos: 2);
        var producer = Producer();
        for (var round = 0; round < perStream; round++)
        {
            await producer.AppendAsync([.. keys.Select(key => Message(key, round))]);
            if (round == perStream / 2)
            {
                await cluster.StopSiloAsync(cluster.Silos[1]); // its queues move to the survivor
            }
        }

        await Eventually(() => _ledger.Applied == streams * perStream, "all 5,000 items applied");
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, perStream).Select(seq => $"{key}:{seq}"), _ledger.PayloadsOf(key).Select(Encoding.UTF8.GetString));
        }

        output.WriteLine($"redelivered after the hand-over and skipped: {_ledger.Duplicates}");
    }

    [Fact]
    public async Task A_consumer_that_fails_transiently_is_retried_and_applies_each_item_once()
    {
        var failures = 0;
        _ledger.Before = (key, _) => key == "flaky" && Interlocked.Increment(ref failures) <= 2
            ? throw new TimeoutException("the database blinked")
            : Task.CompletedTask;
        await using var cluster = await StartAsync();

        await Producer().AppendAsync([.. Enumerable.Range(0, 5).Select(i => Message("flaky", i))]);

        await Eventually(() => _ledger.Applied == 5, "the 5 items applied");
        Assert.Equal(Enumerable.Range(0, 5).Select(seq => $"flaky:{seq}"), _ledger.PayloadsOf("flaky").Select(Encoding.UTF8.GetString));
        Assert.Equal(0, _ledger.Duplicates);
        Assert.Equal(0, _ledger.Errors);
        var last = _ledger.OffsetsOf("flaky")[^1];
        await Eventually(() => _log.GetCheckpoint(PartitionOf("flaky")) >= last, "the checkpoint passes them");
    }

    [Fact]
    public async Task A_delivery_that_fails_for_good_is_held_below_the_checkpoint_and_delivered_again_after_a_restart()
    {
        _ledger.Before = (key, _) => key == "poison" ? throw new InvalidDataException("cannot apply") : Task.CompletedTask;
        var partition = PartitionOf("poison");
        var neighbours = KeysInPartition(partition, 10, "n").ToArray();
        var producer = Producer();
        var cluster = await StartAsync(s => s.ConfigureDurableLog(o => o.MaxDeliveryRetryTime = TimeSpan.FromMilliseconds(300)));

        await producer.AppendAsync([Message("poison", 0)]);
        await producer.AppendAsync([.. neighbours.Select(key => Message(key, 0))]);
        await Eventually(() => _ledger.Applied == 10 && _ledger.Errors == 1, "the neighbours applied and the poison item reported to its grain");
        await AfterReads(partition, 10);

        var poison = neighbours.Select(key => _ledger.OffsetsOf(key)[0]).Min() - 1;
        Assert.Equal(poison - 1, _log.GetCheckpoint(partition));

        // A graceful stop saves the watermark, still below the poison item; the next start delivers it again.
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        _ledger.Before = null;
        await using var second = await StartAsync();
        await Eventually(() => _ledger.IsApplied("poison", poison), "the held item delivered again and applied");
        Assert.Equal(11, _ledger.Applied);
    }

    [Fact]
    public async Task A_delivery_that_fails_for_good_goes_to_the_dead_letter_store_and_then_the_checkpoint_passes_it()
    {
        _ledger.Before = (key, _) => key == "poison" ? throw new InvalidDataException("cannot apply") : Task.CompletedTask;
        var deadLetters = new RecordingDeadLetterStore();
        using var metrics = new MetricsRecorder();
        var partition = PartitionOf("poison");
        var neighbours = KeysInPartition(partition, 10, "n").ToArray();
        var producer = Producer();
        await using var cluster = await StartAsync(s => s
            .ConfigureDurableLog(o => o.MaxDeliveryRetryTime = TimeSpan.FromMilliseconds(300))
            .UseDeadLetterStore((_, _) => deadLetters));

        await producer.AppendAsync([Message("poison", 0), Message("poison", 1)]);
        await producer.AppendAsync([.. neighbours.Select(key => Message(key, 0))]);
        await Eventually(() => deadLetters.Failures.Count == 1, "the failure reported to the dead-letter store");

        var failure = deadLetters.Failures.Single();
        Assert.Equal(Provider, failure.ProviderName);
        Assert.Equal(partition, failure.Partition);
        Assert.Equal(StreamId.Create(Namespace, "poison"), failure.Stream);
        Assert.NotNull(failure.Container);
        Assert.Equal(["poison:0", "poison:1"], failure.Container.Payloads.Select(Encoding.UTF8.GetString));
        Assert.Equal(failure.Offset, failure.Container.Offsets[0]);

        await Eventually(() => _ledger.Applied == 10, "the neighbours applied");
        var last = neighbours.Select(key => _ledger.OffsetsOf(key)[0]).Max();
        await Eventually(() => _log.GetCheckpoint(partition) >= last, "the checkpoint passes the set-aside items");
        Assert.False(_ledger.IsApplied("poison", failure.Offset));
        Assert.Equal(1, metrics.Sum("grains.streaming.delivery.failures"));
        Assert.Equal(2, metrics.Sum("grains.streaming.dead_lettered"));
        Assert.Equal(12, metrics.Sum("grains.streaming.items.read"));
    }

    [Fact]
    public async Task Orleans_producers_append_through_the_same_log_and_payloads_other_than_bytes_are_refused()
    {
        await using var cluster = await StartAsync();
        var publisher = cluster.Client.GetGrain<IPublisherGrain>(0);

        await publisher.PublishAsync("via-orleans", Encoding.UTF8.GetBytes("via-orleans:0"));
        await Assert.ThrowsAnyAsync<NotSupportedException>(() => publisher.PublishTextAsync("text", "not bytes"));

        await Eventually(() => _ledger.Applied == 1, "the published item applied");
        Assert.Equal(["via-orleans:0"], _ledger.PayloadsOf("via-orleans").Select(Encoding.UTF8.GetString));
        Assert.Equal([1L], _ledger.OffsetsOf("via-orleans")); // numbered by the log: the first record of a fresh log
    }

    private async Task<InProcessTestCluster> StartAsync(Action<SiloDurableLogStreamConfigurator>? configure = null, short silos = 1)
    {
        var log = _log;
        var ledger = _ledger;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(ledger);
            silo.AddDurableLogStreams(Provider, streams =>
            {
                streams.UseLog((_, _) => log).ConfigureDurableLog(options =>
                {
                    options.QueueCount = Queues;
                    options.PullingPeriod = TimeSpan.FromMilliseconds(20);
                    options.CheckpointInterval = TimeSpan.FromMilliseconds(20);
                });
                streams.ConfigureBackoffProvider((_, _) => new QuickRetry());
                configure?.Invoke(streams);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private DurableLogStreamProducer Producer() => new(Provider, _log, Queues);

    private static DurableLogMessage Message(string key, int seq) => new(StreamId.Create(Namespace, key), Encoding.UTF8.GetBytes($"{key}:{seq}"));

    private static int Sequence(byte[] payload)
    {
        var text = Encoding.UTF8.GetString(payload);
        return int.Parse(text.AsSpan(text.LastIndexOf(':') + 1));
    }

    private static int PartitionOf(string key) => DurableLogStreamQueueMapper.GetPartition(StreamId.Create(Namespace, key), Queues);

    private static IEnumerable<string> KeysInPartition(int partition, int count, string prefix) =>
        Enumerable.Range(0, int.MaxValue).Select(i => $"{prefix}{i}").Where(key => PartitionOf(key) == partition).Take(count);

    /// <summary>Waits until the partition was read <paramref name="reads"/> more times: each read is preceded by a cache purge and a checkpoint attempt.</summary>
    private async Task AfterReads(int partition, int reads)
    {
        var target = _log.GetReadCount(partition) + reads;
        await Eventually(() => _log.GetReadCount(partition) >= target, $"{reads} more reads of partition {partition}");
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }

    private sealed class QuickRetry : IMessageDeliveryBackoffProvider
    {
        public TimeSpan Next(int attempt) => TimeSpan.FromMilliseconds(50);
    }

    private sealed class RecordingDeadLetterStore : IDurableLogDeadLetterStore
    {
        private readonly List<DurableLogDeliveryFailure> _failures = [];

        public IReadOnlyList<DurableLogDeliveryFailure> Failures
        {
            get
            {
                lock (_failures)
                {
                    return [.. _failures];
                }
            }
        }

        public Task<bool> SetAsideAsync(DurableLogDeliveryFailure failure, CancellationToken cancellationToken = default)
        {
            lock (_failures)
            {
                _failures.Add(failure);
            }

            return Task.FromResult(true);
        }
    }
}
