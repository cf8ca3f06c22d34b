using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;

namespace Grains.Runtime.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Thousand_concurrent_calls_use_one_activation_never_overlap_and_keep_per_caller_order()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        const int callers = 20;
        const int callsPerCaller = 50;

        // Every caller issues its calls without awaiting in between (order of issue = sequence).
        var calls = new List<Task>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var threads = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            var grain = host.GrainFactory.GetGrain<ICounterGrain>(key);
            var mine = new Task[callsPerCaller];
            for (var sequence = 0; sequence < callsPerCaller; sequence++)
            {
                mine[sequence] = grain.Record(caller, sequence);
            }

            await Task.WhenAll(mine);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(30));

        var grain = host.GrainFactory.GetGrain<ICounterGrain>(key);
        var log = await grain.GetLog();
        Assert.Equal(callers * callsPerCaller, log.Count);
        Assert.Equal(1, CounterGrain.Activations[key]);
        Assert.Equal(1, await grain.MaxConcurrentTurns());
        foreach (var group in log.GroupBy(entry => entry.Caller))
        {
            Assert.Equal(Enumerable.Range(0, callsPerCaller), group.Select(entry => entry.Sequence));
        }
    }

    [Fact]
    public async Task Results_come_back_through_task_and_value_task()
    {
        await using var host = await TestSilo.StartAsync();
        var grain = host.GrainFactory.GetGrain<ICounterGrain>(TestSilo.NewKey());
        Assert.Equal(42, await grain.Ping());
        Assert.Equal(43, await grain.PingValue());
        Assert.Equal(42, await grain.Ping());
    }
}
