using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;

namespace Grains.Runtime.Tests;

public sealed class ReentrancyTests
{
    [Fact]
    public async Task Non_reentrant_grain_runs_a_second_call_only_after_the_first_completes()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IGateGrain>(key);
        var first = grain.Hold("a");
        var second = grain.Hold("b");
        await TestSilo.WaitUntilAsync(() => Gates.Log(key).Contains("start a"), TimeSpan.FromSeconds(5), "first turn started");

        // While "a" awaits, "b" must not start.
        Gates.For(key, "b").SetResult();
        await Task.Delay(100);
        Assert.DoesNotContain("start b", Gates.Log(key));

        Gates.For(key, "a").SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["start a", "end a", "start b", "end b"], Gates.Log(key));
    }

    [Fact]
    public async Task Reentrant_grain_interleaves_calls_at_awaits()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IReentrantGateGrain>(key);
        var first = grain.Hold("a");
        var second = grain.Hold("b");
        await TestSilo.WaitUntilAsync(() => Gates.Log(key).Contains("start b"), TimeSpan.FromSeconds(5), "second turn started while first awaits");
        Assert.DoesNotContain("end a", Gates.Log(key));

        Gates.For(key, "b").SetResult();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Gates.For(key, "a").SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["start a", "start b", "end b", "end a"], Gates.Log(key));
    }

    [Fact]
    public async Task Read_only_calls_interleave_with_each_other_but_not_with_exclusive_ones()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IGateGrain>(key);
        var r1 = grain.HoldReadOnly("r1");
        var r2 = grain.HoldReadOnly("r2");
        await TestSilo.WaitUntilAsync(() => Gates.Log(key).Contains("start r2"), TimeSpan.FromSeconds(5), "two read-only turns running");
        var exclusive = grain.Hold("x");
        Gates.For(key, "x").SetResult();
        await Task.Delay(100);
        Assert.DoesNotContain("start x", Gates.Log(key));

        Gates.For(key, "r1").SetResult();
        Gates.For(key, "r2").SetResult();
        await Task.WhenAll(r1, r2, exclusive).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("end x", Gates.Log(key).Last());
    }

    [Fact]
    public async Task Always_interleave_method_runs_while_an_exclusive_turn_awaits()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IGateGrain>(key);
        var held = grain.Hold("a");
        await TestSilo.WaitUntilAsync(() => Gates.Log(key).Contains("start a"), TimeSpan.FromSeconds(5), "turn started");
        Assert.Equal(1, await grain.Peek().WaitAsync(TimeSpan.FromSeconds(5)));
        Gates.For(key, "a").SetResult();
        await held;
    }

    [Fact]
    public async Task Call_cycle_through_a_non_reentrant_grain_times_out_naming_the_chain()
    {
        await using var host = await TestSilo.StartAsync(options => options.ResponseTimeout = TimeSpan.FromSeconds(3));
        var a = "a-" + TestSilo.NewKey()[..6];
        var b = "b-" + TestSilo.NewKey()[..6];
        var grain = host.GrainFactory.GetGrain<ICycleGrain>(a);

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.Start(b).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(error.Message.Contains($"cycle/{a} ICycleGrain.Start -> cycle/{b} ICycleGrain.Bounce -> cycle/{a} ICycleGrain.Ping"), error.Message);
        Assert.Contains($"cycle/{a} ICycleGrain.Start -> cycle/{b} ICycleGrain.Bounce -> cycle/{a} ICycleGrain.Ping", error.Message);
        Assert.Contains("deadlock", error.Message);
    }

    [Fact]
    public async Task Call_cycle_into_an_always_interleave_method_completes()
    {
        await using var host = await TestSilo.StartAsync(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        var a = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<ICycleGrain>(a);
        Assert.Equal("pong from " + a, await grain.StartInterleaving(TestSilo.NewKey()));
    }
}
