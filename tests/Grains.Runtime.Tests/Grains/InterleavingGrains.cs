using System.Collections.Concurrent;

namespace Grains.Runtime.Tests.Grains;

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Logs "start name", waits for the named gate, logs "end name".</summary>
    Task Hold(string name);

    [ReadOnly]
    Task HoldReadOnly(string name);

    [AlwaysInterleave]
    Task<int> Peek();
}

/// <summary>Gates shared with the test, keyed by grain key + name.</summary>
public static class Gates
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Open = new();
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Logs = new();

    public static TaskCompletionSource For(string key, string name) =>
        Open.GetOrAdd(key + "/" + name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static ConcurrentQueue<string> Log(string key) => Logs.GetOrAdd(key, _ => new ConcurrentQueue<string>());
}

public abstract class GateGrainBase : Grain
{
    public async Task Hold(string name)
    {
        Gates.Log(GetPrimaryKeyString()).Enqueue("start " + name);
        await Gates.For(GetPrimaryKeyString(), name).Task;
        Gates.Log(GetPrimaryKeyString()).Enqueue("end " + name);
    }

    public Task HoldReadOnly(string name) => Hold(name);

    public Task<int> Peek() => Task.FromResult(Gates.Log(GetPrimaryKeyString()).Count);
}

public sealed class GateGrain : GateGrainBase, IGateGrain;

public interface IReentrantGateGrain : IGrainWithStringKey
{
    Task Hold(string name);
}

[Reentrant]
public sealed class ReentrantGateGrain : GateGrainBase, IReentrantGateGrain;

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="next"/>.Bounce(self), which calls back into this grain.</summary>
    Task<string> Start(string next);

    Task<string> Bounce(string origin);

    Task<string> Ping();

    [AlwaysInterleave]
    Task<string> InterleavingPing();

    Task<string> StartInterleaving(string next);

    Task<string> BounceInterleaving(string origin);
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public Task<string> Start(string next) => GrainFactory.GetGrain<ICycleGrain>(next).Bounce(GetPrimaryKeyString());

    public Task<string> Bounce(string origin) => GrainFactory.GetGrain<ICycleGrain>(origin).Ping();

    public Task<string> Ping() => Task.FromResult("pong from " + GetPrimaryKeyString());

    public Task<string> InterleavingPing() => Ping();

    public Task<string> StartInterleaving(string next) => GrainFactory.GetGrain<ICycleGrain>(next).BounceInterleaving(GetPrimaryKeyString());

    public Task<string> BounceInterleaving(string origin) => GrainFactory.GetGrain<ICycleGrain>(origin).InterleavingPing();
}
