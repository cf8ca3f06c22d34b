using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;

namespace Grains.Runtime.Tests;

public sealed class ErrorTests
{
    [Fact]
    public async Task Exceptions_thrown_by_grain_methods_reach_the_caller_with_type_and_message()
    {
        await using var host = await TestSilo.StartAsync();
        var grain = host.GrainFactory.GetGrain<IFaultyGrain>(TestSilo.NewKey());

        var sync = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowSync("bad argument"));
        Assert.Equal("bad argument", sync.Message);
        var async = await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.ThrowAsync("no such key"));
        Assert.Equal("no such key", async.Message);
    }

    [Fact]
    public async Task Failed_activation_names_the_grain_and_the_next_call_activates_again()
    {
        await using var host = await TestSilo.StartAsync();
        var key = TestSilo.NewKey();
        FaultyGrain.FailActivations[key] = 1;
        var grain = host.GrainFactory.GetGrain<IFaultyGrain>(key);

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.ThrowSync("x"));
        Assert.Contains($"faulty/{key}", error.Message);
        Assert.Contains("activation refused by test", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);

        await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowSync("second try reaches the grain"));
    }

    [Fact]
    public async Task Calling_an_interface_without_a_registered_class_fails_clearly()
    {
        await using var host = await TestSilo.StartAsync();
        var error = Assert.Throws<InvalidOperationException>(() => host.GrainFactory.GetGrain<IUnimplementedGrain>("k"));
        Assert.Contains(nameof(IUnimplementedGrain), error.Message);
    }

    [Fact]
    public async Task Calls_after_the_silo_stopped_fail_instead_of_hanging()
    {
        var host = await TestSilo.StartAsync();
        var grain = host.GrainFactory.GetGrain<ICounterGrain>(TestSilo.NewKey());
        await host.StopAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => grain.Ping());
        await host.DisposeAsync();
    }

    public interface IUnimplementedGrain : IGrainWithStringKey
    {
        Task Nothing();
    }
}
