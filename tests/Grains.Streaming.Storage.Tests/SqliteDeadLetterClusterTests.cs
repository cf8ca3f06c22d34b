using System.Text;
using Grains.Sqlite;
using Grains.Streaming.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Grains.Streaming.Storage.Tests;

/// <summary>A consumer grain sets a poison item aside through the SQLite provider's dead-letter store; its queue goes on.</summary>
public sealed class SqliteDeadLetterClusterTests : IDisposable
{
    public const string Namespace = "setting-aside";
    // Its own provider name: metrics are recorded process-wide, and other suites' silos (one is killed) run beside it.
    public const string Provider = "dead-letter-test";
    private const int Queues = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempFile _file = new();
    private readonly CountingLedger _ledger = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_poison_item_set_aside_by_its_grain_is_stored_with_its_error_and_counted_and_the_checkpoint_passes_it()
    {
        using var metrics = new MetricsRecorder();
        await using var database = new SqliteDatabase(new SqliteStorageOptions { DataSource = _file.Path });
        var log = new SqliteDurableLog(database);
        var producer = new DurableLogStreamProducer(Provider, log, Queues);
        var keys = Enumerable.Range(0, 20).Select(i => $"k{i}").ToArray();
        await using var cluster = await StartAsync(database);

        await producer.AppendAsync([.. keys.Select(key => Message(key, "0"))]);
        await producer.AppendAsync([Message("k3", "poison")]);
        await producer.AppendAsync([.. keys.Select(key => Message(key, "1"))]);

        await Eventually(() => _ledger.Applied == 40, "the 40 good items applied");
        var row = Assert.Single(await new SqliteDeadLetterStore(database).ReadAsync(Provider, 0, 10));
        Assert.Equal(StreamId.Create(Namespace, "k3"), row.Stream);
        Assert.Equal("k3:poison", Encoding.UTF8.GetString(row.Payload!));
        Assert.Contains("InvalidDataException: cannot apply a poison item", row.Error, StringComparison.Ordinal);
        Assert.Equal(["k3:0", "k3:1"], _ledger.PayloadsOf("k3"));
        Assert.Equal(1, metrics.Sum("grains.streaming.dead_lettered", "provider", Provider));
        Assert.Equal(1, metrics.Sum("grains.streaming.dead_lettered", "source", "consumer")); // only this test sets items aside

        var partition = DurableLogStreamQueueMapper.GetPartition(StreamId.Create(Namespace, "k3"), Queues);
        await Eventually(() => log.GetCheckpointAsync(partition).Result > row.Offset, "the checkpoint passes the poison item");
        Assert.Equal(0, metrics.Sum("grains.streaming.delivery.failures", "provider", Provider));
    }

    private async Task<InProcessTestCluster> StartAsync(SqliteDatabase database)
    {
        var ledger = _ledger;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
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

    private static DurableLogMessage Message(string key, string suffix) => new(StreamId.Create(Namespace, key), Encoding.UTF8.GetBytes($"{key}:{suffix}"));

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
