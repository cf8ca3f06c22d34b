using System.Diagnostics;
using System.Text;
using Grains.Sqlite;
using Grains.Streaming.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The SQLite log end to end in Orleans' in-process test cluster: a silo killed mid-delivery, then a restart on the same file.</summary>
public sealed class SqliteLogClusterTests(ITestOutputHelper output) : IDisposable
{
    public const string Namespace = "counting";
    private const string Provider = "ingest";
    private const int Queues = 8;
    private const int Keys = 1_000;
    private const int PerKey = 100;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempFile _file = new();
    private readonly CountingLedger _ledger = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_silo_killed_mid_delivery_loses_nothing_and_applies_nothing_twice_after_a_restart_on_the_same_file()
    {
        var keys = Enumerable.Range(0, Keys).Select(i => $"k{i}").ToArray();
        var started = Stopwatch.StartNew();

        // Appended before the silo starts, one transaction per round, so that on this fresh file the
        // item of round r for key j has offset r * Keys + j + 1.
        var database = Open();
        var producer = new DurableLogStreamProducer(Provider, new SqliteDurableLog(database), Queues);
        for (var round = 0; round < PerKey; round++)
        {
            await producer.AppendAsync([.. keys.Select(key => Message(key, round))]);
        }

        var appended = started.Elapsed;
        _ledger.CrashAfter = Keys * PerKey * 2 / 5;
        var cluster = await StartAsync(database);
        await Eventually(() => _ledger.Crashed, "40% applied");

        // The crash: from 40% on nothing is applied (the process is gone), the file loses what was
        // queued but not committed (checkpoints in flight), and the silo goes without a graceful stop
        // (no final checkpoint).
        var appliedAtCrash = _ledger.Applied;
        await database.AbortAsync();
        await cluster.KillSiloAsync(cluster.Silos[0]);
        await cluster.DisposeAsync();
        Assert.True(appliedAtCrash < Keys * PerKey, "the silo was killed mid-delivery");

        // No checkpoint passed an item that was not applied.
        database = Open();
        var log = new SqliteDurableLog(database);
        var checkpoints = new long[Queues];
        for (var partition = 0; partition < Queues; partition++)
        {
            checkpoints[partition] = await log.GetCheckpointAsync(partition);
        }

        var behindCheckpoints = 0;
        for (var j = 0; j < Keys; j++)
        {
            var checkpoint = checkpoints[PartitionOf(keys[j])];
            for (var round = 0; round < PerKey; round++)
            {
                long offset = (round * Keys) + j + 1;
                if (offset <= checkpoint)
                {
                    behindCheckpoints++;
                    Assert.True(_ledger.IsApplied(keys[j], offset), $"{keys[j]} offset {offset} is behind checkpoint {checkpoint} but was not applied");
                }
            }
        }

        _ledger.Crashed = false;
        await using var second = await StartAsync(database);
        await Eventually(() => _ledger.Applied == Keys * PerKey, "all 100,000 items applied");
        var total = started.Elapsed;
        await second.StopAllSilosAsync();
        await database.DisposeAsync();

        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, PerKey).Select(seq => $"{key}:{seq}"), _ledger.PayloadsOf(key));
        }

        Assert.Equal(Keys * PerKey, _ledger.Applied);
        output.WriteLine(
            $"appended {Keys * PerKey:N0} in {appended.TotalSeconds:F1} s; applied at the crash {appliedAtCrash:N0}, behind the checkpoints {behindCheckpoints:N0}; " +
            $"redelivered after the restart and skipped {_ledger.Duplicates:N0}; all applied after {total.TotalSeconds:F1} s");
    }

    private SqliteDatabase Open() => new(new SqliteStorageOptions { DataSource = _file.Path });

    private async Task<InProcessTestCluster> StartAsync(SqliteDatabase database)
    {
        var ledger = _ledger;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // The test owns the database (an instance registration is not disposed with the silo), so it can abort it like a crash.
            silo.Services.AddSingleton(database);
            silo.Services.AddSingleton(ledger);
            silo.AddSqliteDurableLogStreams(Provider, streams => streams.ConfigureDurableLog(options =>
            {
                options.QueueCount = Queues;
                options.PullingPeriod = TimeSpan.FromMilliseconds(20);
                options.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            }));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static DurableLogMessage Message(string key, int seq) => new(StreamId.Create(Namespace, key), Encoding.UTF8.GetBytes($"{key}:{seq}"));

    private static int PartitionOf(string key) => DurableLogStreamQueueMapper.GetPartition(StreamId.Create(Namespace, key), Queues);

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
}
