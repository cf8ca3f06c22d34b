using System.Collections.Concurrent;

namespace Grains.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Records (caller, sequence) after yielding once, so overlapping turns would be visible.</summary>
    Task Record(int caller, int sequence);

    Task<int> Ping();

    ValueTask<int> PingValue();

    Task<IReadOnlyList<(int Caller, int Sequence)>> GetLog();

    Task<int> MaxConcurrentTurns();
}

/// <summary>Counts its activations and the most turns ever running at once.</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    public static readonly ConcurrentDictionary<string, int> Activations = new();

    private readonly List<(int Caller, int Sequence)> _log = [];
    private int _running;
    private int _maxRunning;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task Record(int caller, int sequence)
    {
        var running = Interlocked.Increment(ref _running);
        _maxRunning = Math.Max(_maxRunning, running);
        await Task.Yield();
        _log.Add((caller, sequence));
        Interlocked.Decrement(ref _running);
    }

    public Task<int> Ping() => Task.FromResult(42);

    public ValueTask<int> PingValue() => ValueTask.FromResult(43);

    public Task<IReadOnlyList<(int Caller, int Sequence)>> GetLog() => Task.FromResult<IReadOnlyList<(int, int)>>(_log.ToList());

    public Task<int> MaxConcurrentTurns() => Task.FromResult(_maxRunning);
}
