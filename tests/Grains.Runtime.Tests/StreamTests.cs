using Grains.Runtime.Hosting;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Grains.Runtime.Tests;

public sealed class StreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Crash_mid_delivery_then_restart_delivers_everything_at_least_once_and_applies_it_exactly_once_in_order()
    {
        const int keys = 1_000;
        const int perKey = 100;
        var prefix = TestSilo.NewKey()[..8] + "-";
        var database = TestSilo.TempDatabase();
        void Sqlite(IServiceCollection services) => services.AddGrainsSqlite(o => o.DataSource = database);

        var first = await TestSilo.StartAsync(services: Sqlite);
        var producer = first.Services.GetRequiredService<IStreamProducer>();
        var deliveredBefore = Volatile.Read(ref SequenceGrain.DeliveredCount);

        // 100,000 items: sequence numbers in order per key, keys interleaved, 100 concurrent appenders.
        var appends = Enumerable.Range(0, perKey).Select(sequence => producer.AppendAsync(
            Enumerable.Range(0, keys).Select(k => new StreamMessage(new StreamId("seq", prefix + k), SequenceGrain.Payload(sequence))).ToList()));
        var ordered = new List<Task>();
        foreach (var append in appends)
        {
            ordered.Add(append);
            if (ordered.Count % 10 == 0)
            {
                await Task.WhenAll(ordered); // keep sequence order per key: batch n+1 appends after batch n is durable
            }
        }

        await Task.WhenAll(ordered);
        await TestSilo.WaitUntilAsync(() => Volatile.Read(ref SequenceGrain.DeliveredCount) - deliveredBefore >= 30_000, TimeSpan.FromSeconds(60), "30,000 deliveries before the crash");
        await first.DisposeAsync(); // crash: no drain, no checkpoint of the batch in hand

        await using var second = await TestSilo.StartAsync(services: Sqlite);
        await TestSilo.WaitUntilAsync(async () =>
        {
            for (var k = 0; k < keys; k++)
            {
                if ((await second.GrainFactory.GetGrain<ISequenceGrain>(prefix + k).GetState()).Applied < perKey)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(120), "every grain caught up");

        var redelivered = Enumerable.Range(0, keys).Sum(k => SequenceGrain.Delivered[prefix + k].Count) - keys * perKey;
        output.WriteLine($"redelivered after the crash: {redelivered} items");
        for (var k = 0; k < keys; k++)
        {
            var key = prefix + k;
            var state = await second.GrainFactory.GetGrain<ISequenceGrain>(key).GetState();
            Assert.Equal(perKey, state.Applied);
            Assert.Equal(perKey - 1, state.LastSequence);
            Assert.Equal(0, state.OrderViolations);
            Assert.Equal(Enumerable.Range(0, perKey), SequenceGrain.Delivered[key].Distinct().Order());
        }
    }

    [Fact]
    public async Task A_grain_with_a_deep_backlog_does_not_starve_other_grains_of_its_partition()
    {
        await using var host = await TestSilo.StartAsync(options => options.PartitionCount = 1);
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var hot = "hot-" + TestSilo.NewKey();
        SequenceGrain.Slowness[hot] = TimeSpan.FromMilliseconds(1);

        await producer.AppendAsync(Enumerable.Range(0, 2_000).Select(i => new StreamMessage(new StreamId("seq", hot), SequenceGrain.Payload(i))).ToList());
        var cold = Enumerable.Range(0, 50).Select(_ => "cold-" + TestSilo.NewKey()).ToList();
        await producer.AppendAsync(cold.Select(key => new StreamMessage(new StreamId("seq", key), SequenceGrain.Payload(0))).ToList());

        await TestSilo.WaitUntilAsync(() => cold.All(SequenceGrain.Delivered.ContainsKey), TimeSpan.FromSeconds(20), "cold grains delivered");
        var hotState = await host.GrainFactory.GetGrain<ISequenceGrain>(hot).GetState();
        Assert.True(hotState.Applied < 2_000, $"the cold grains waited for the whole hot backlog ({hotState.Applied} applied)");
    }

    [Fact]
    public async Task Read_ahead_stays_within_the_silo_byte_budget_and_still_delivers_everything()
    {
        await using var host = await TestSilo.StartAsync(options =>
        {
            options.PartitionCount = 4;
            options.Streams.MaxBufferedBytes = 400; // 100 items of 4 bytes
            options.Streams.ReadBatchSize = 50;
        });
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var budget = host.Services.GetRequiredService<StreamAgents>().Budget;
        var keys = Enumerable.Range(0, 20).Select(_ => "budget-" + TestSilo.NewKey()).ToList();
        foreach (var key in keys)
        {
            SequenceGrain.Slowness[key] = TimeSpan.FromMilliseconds(1);
        }

        await producer.AppendAsync(keys.SelectMany(key => Enumerable.Range(0, 100).Select(i => new StreamMessage(new StreamId("seq", key), SequenceGrain.Payload(i)))).ToList());
        long peak = 0;
        await TestSilo.WaitUntilAsync(() =>
        {
            peak = Math.Max(peak, budget.Used);
            return keys.All(key => SequenceGrain.Delivered.TryGetValue(key, out var bag) && bag.Count >= 100);
        }, TimeSpan.FromSeconds(60), "all items delivered under a tiny budget");

        // Each of the 4 agents may overshoot by one read batch (50 items of 4 bytes).
        Assert.InRange(peak, 1, 400 + 4 * 50 * 4);
    }

    [Fact]
    public async Task Stream_delivery_starts_once_the_host_has_started_not_in_the_silos_StartAsync()
    {
        var services = new ServiceCollection().AddLogging().AddGrainsMemoryStorage();
        services.AddGrains(builder => builder.AddGrainAssembly(typeof(TestSilo).Assembly).Configure(options => options.PartitionCount = 4));
        await using var provider = services.BuildServiceProvider();
        var silo = provider.GetRequiredService<Silo>();
        var agents = provider.GetRequiredService<StreamAgents>();
        var key = "started-" + TestSilo.NewKey();

        await silo.StartAsync(CancellationToken.None);
        await provider.GetRequiredService<IStreamProducer>().AppendAsync([new StreamMessage(new StreamId("seq", key), SequenceGrain.Payload(0))]);
        Assert.True(silo.IsRunning);
        Assert.Equal(0, agents.Count); // the item waits in the log: a host's web server starts before delivery

        await silo.StartedAsync(CancellationToken.None);
        Assert.Equal(4, agents.Count);
        await TestSilo.WaitUntilAsync(() => SequenceGrain.Delivered.ContainsKey(key), TimeSpan.FromSeconds(20), "the item delivered");
        await silo.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task No_more_deliveries_run_at_once_than_MaxConcurrentDeliveries_and_all_items_arrive()
    {
        await using var host = await TestSilo.StartAsync(options =>
        {
            options.PartitionCount = 8;
            options.Streams.MaxConcurrentDeliveries = 3;
        });
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var probe = new ConcurrencyProbe();
        var keys = Enumerable.Range(0, 200).Select(_ => "cap-" + TestSilo.NewKey()).ToList();
        foreach (var key in keys)
        {
            SequenceGrain.Probes[key] = probe;
            SequenceGrain.Slowness[key] = TimeSpan.FromMilliseconds(2); // each delivery lasts long enough to overlap others
        }

        await producer.AppendAsync(keys.SelectMany(key => Enumerable.Range(0, 5).Select(i => new StreamMessage(new StreamId("seq", key), SequenceGrain.Payload(i)))).ToList());
        await TestSilo.WaitUntilAsync(() => keys.All(key => SequenceGrain.Delivered.TryGetValue(key, out var bag) && bag.Count >= 5), TimeSpan.FromSeconds(60), "every item delivered");

        Assert.InRange(probe.Peak, 1, 3);
    }

    [Fact]
    public async Task Graceful_stop_checkpoints_so_a_restart_redelivers_nothing()
    {
        var database = TestSilo.TempDatabase();
        void Sqlite(IServiceCollection services) => services.AddGrainsSqlite(o => o.DataSource = database);
        var key = "graceful-" + TestSilo.NewKey();

        var first = await TestSilo.StartAsync(services: Sqlite);
        await first.Services.GetRequiredService<IStreamProducer>().AppendAsync(
            Enumerable.Range(0, 500).Select(i => new StreamMessage(new StreamId("seq", key), SequenceGrain.Payload(i))).ToList());
        await TestSilo.WaitUntilAsync(async () => (await first.GrainFactory.GetGrain<ISequenceGrain>(key).GetState()).Applied == 500, TimeSpan.FromSeconds(20), "all applied");
        await first.StopAsync();
        await first.DisposeAsync();

        await using var second = await TestSilo.StartAsync(services: Sqlite);
        Assert.Equal(500, (await second.GrainFactory.GetGrain<ISequenceGrain>(key).GetState()).Applied);
        await Task.Delay(300); // give a (wrong) redelivery the chance to happen
        Assert.Equal(500, SequenceGrain.Delivered[key].Count);
    }

    [Fact]
    public async Task Appending_to_a_namespace_without_subscriber_fails_before_anything_is_stored()
    {
        await using var host = await TestSilo.StartAsync();
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            producer.AppendAsync([new StreamMessage(new StreamId("nobody", "k"), new byte[] { 1 })]));
        Assert.Contains("nobody", error.Message);
    }
}
