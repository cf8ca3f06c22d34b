using System.Collections.Concurrent;
using Grains.Runtime.Persistence;

namespace Grains.Runtime.Tests.Grains;

public sealed class ValueState
{
    public int Value { get; set; }
}

public interface IValueGrain : IGrainWithStringKey
{
    Task Set(int value);

    Task<int> Get();

    Task<string?> ETag();

    Task Deactivate();
}

public sealed class ValueGrain([PersistentState("value")] IPersistentState<ValueState> state) : Grain, IValueGrain
{
    public static readonly ConcurrentDictionary<string, int> Activations = new();
    public static readonly ConcurrentDictionary<string, int> Deactivations = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task Set(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task<string?> ETag() => Task.FromResult(state.ETag);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IFaultyGrain : IGrainWithStringKey
{
    Task<int> ThrowSync(string message);

    Task<int> ThrowAsync(string message);
}

public sealed class FaultyGrain : Grain, IFaultyGrain
{
    public static readonly ConcurrentDictionary<string, int> FailActivations = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (FailActivations.TryGetValue(GetPrimaryKeyString(), out var remaining) && remaining > 0)
        {
            FailActivations[GetPrimaryKeyString()] = remaining - 1;
            throw new InvalidDataException("activation refused by test");
        }

        return Task.CompletedTask;
    }

    public Task<int> ThrowSync(string message) => throw new ArgumentException(message);

    public async Task<int> ThrowAsync(string message)
    {
        await Task.Yield();
        throw new KeyNotFoundException(message);
    }
}
