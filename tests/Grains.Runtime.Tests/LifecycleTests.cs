using Grains.Runtime.Hosting;
using Grains.Runtime.Persistence;
using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Idle_activation_is_collected_and_the_next_call_reactivates_it_with_its_persisted_state()
    {
        await using var host = await TestSilo.StartAsync(options =>
        {
            options.CollectionAge = TimeSpan.FromMilliseconds(200);
            options.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        });
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IValueGrain>(key);
        await grain.Set(17);

        await TestSilo.WaitUntilAsync(() => ValueGrain.Deactivations.GetValueOrDefault(key) == 1, TimeSpan.FromSeconds(10), "idle deactivation");
        Assert.Equal(17, await grain.Get());
        Assert.Equal(2, ValueGrain.Activations[key]);
    }

    [Fact]
    public async Task Activations_over_the_limit_are_shed_least_recently_used_first_and_keep_their_state()
    {
        await using var host = await TestSilo.StartAsync(options =>
        {
            options.MaxActivations = 50;
            options.CollectionQuantum = TimeSpan.FromMilliseconds(200);
        });
        var oldest = Enumerable.Range(0, 10).Select(_ => TestSilo.NewKey()).ToList();
        foreach (var key in oldest)
        {
            await host.GrainFactory.GetGrain<IValueGrain>(key).Set(7);
        }

        // Strictly older than everything after (activity is tracked in milliseconds).
        await Task.Delay(30);
        foreach (var key in Enumerable.Range(0, 110).Select(_ => TestSilo.NewKey()))
        {
            await host.GrainFactory.GetGrain<IValueGrain>(key).Set(1);
        }

        await TestSilo.WaitUntilAsync(() => host.Silo.ActivationCount <= 50, TimeSpan.FromSeconds(20), "activation count back under the limit");
        await TestSilo.WaitUntilAsync(() => oldest.All(key => ValueGrain.Deactivations.GetValueOrDefault(key) == 1), TimeSpan.FromSeconds(20), "the ten oldest activations shed");
        Assert.Equal(7, await host.GrainFactory.GetGrain<IValueGrain>(oldest[0]).Get());
    }

    [Fact]
    public async Task Busy_activation_is_not_collected()
    {
        await using var host = await TestSilo.StartAsync(options =>
        {
            options.CollectionAge = TimeSpan.FromSeconds(1);
            options.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        });
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IValueGrain>(key);
        var until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until)
        {
            await grain.Set(1);
            await Task.Delay(20);
        }

        Assert.Equal(0, ValueGrain.Deactivations.GetValueOrDefault(key));
        Assert.Equal(1, ValueGrain.Activations[key]);
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn_and_calls_go_to_a_new_activation()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        var grain = host.GrainFactory.GetGrain<IValueGrain>(key);
        await grain.Set(5);
        await grain.Deactivate();
        Assert.Equal(5, await grain.Get());
        Assert.Equal(1, ValueGrain.Deactivations[key]);
        Assert.Equal(2, ValueGrain.Activations[key]);
    }

    [Fact]
    public async Task Graceful_stop_deactivates_every_activation()
    {
        var host = await TestSilo.StartAsync();
        var keys = Enumerable.Range(0, 20).Select(_ => TestSilo.NewKey()).ToList();
        foreach (var key in keys)
        {
            await host.GrainFactory.GetGrain<IValueGrain>(key).Set(1);
        }

        await host.StopAsync();
        Assert.All(keys, key => Assert.Equal(1, ValueGrain.Deactivations[key]));
        Assert.Equal(0, host.Silo.ActivationCount);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Two_activations_writing_with_the_same_etag_exactly_one_fails_with_the_typed_exception_and_it_deactivates()
    {
        // Two silos over one store: the situation after a partition moved while the old owner still ran.
        var storage = new MemoryGrainStorage();
        void Shared(IServiceCollection services)
        {
            services.AddGrainsMemoryStorage();
            services.AddSingleton<IGrainStorage>(storage);
        }

        await using var first = await TestSilo.StartAsync(services: Shared);
        await using var second = await TestSilo.StartAsync(services: Shared);
        var key = TestSilo.NewKey();
        var a = first.GrainFactory.GetGrain<IValueGrain>(key);
        var b = second.GrainFactory.GetGrain<IValueGrain>(key);
        await a.Set(1);
        Assert.Equal(await a.ETag(), await b.ETag() is { } etag ? etag : throw new Xunit.Sdk.XunitException("b read no state"));

        var outcomes = await Task.WhenAll(Attempt(() => a.Set(2)), Attempt(() => b.Set(3)));
        Assert.Single(outcomes, o => o is null);
        var failure = Assert.Single(outcomes, o => o is not null);
        var inconsistent = Assert.IsType<InconsistentStateException>(failure);
        Assert.Equal("value", inconsistent.StateName);

        // The fenced activation deactivated itself; its next call reads the winner's value.
        var winner = outcomes[0] is null ? 2 : 3;
        Assert.Equal(winner, await a.Get());
        Assert.Equal(winner, await b.Get());
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
