using Grains.Runtime.Persistence;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Benchmarks;

/// <summary>The grain of the call scenarios.</summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Completes synchronously (a "non-awaiting" call).</summary>
    Task<int> Ping();

    /// <summary>Awaits once (<c>Task.Yield</c>): the turn continues on the activation's scheduler.</summary>
    Task<int> PingYield();
}

/// <summary>A trivial grain: the cost measured is the runtime's, not the method's.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping() => Task.FromResult(++_calls & 1);

    public async Task<int> PingYield()
    {
        await Task.Yield();
        return ++_calls & 1;
    }
}

/// <summary>The floor of the call scenarios: the same methods on a plain object, called under an async lock.</summary>
public sealed class PlainPing
{
    private int _calls;

    public Task<int> Ping() => Task.FromResult(++_calls & 1);

    public async Task<int> PingYield()
    {
        await Task.Yield();
        return ++_calls & 1;
    }
}

/// <summary>State of a stream subscriber: its effects and the exactly-once cursor.</summary>
public sealed class CounterState : IStreamCursorState
{
    public long LastAppliedOffset { get; set; }

    public long Items { get; set; }

    public long Bytes { get; set; }
}

/// <summary>Reads a subscriber's state after a run (to check every item was applied exactly once).</summary>
public interface IStreamCounterGrain : IGrainWithStringKey
{
    Task<CounterState> GetState();
}

/// <summary>Applies items of stream namespace "bench" exactly once and reports progress to the driver.</summary>
[ImplicitStreamSubscription(StreamNamespace)]
public sealed class StreamCounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, IStreamCounterGrain, IStreamSubscriber
{
    public const string StreamNamespace = "bench";

    public async Task OnNextBatchAsync(StreamBatch batch)
    {
        var applied = await batch.ApplyOnceAsync(state, static (s, item) =>
        {
            s.Items++;
            s.Bytes += item.Payload.Length;
        });

        // Counted only after ApplyOnceAsync returned, i.e. after the state write (effects + cursor) is durable.
        StreamProgress.Applied(applied);
    }

    public Task<CounterState> GetState() => Task.FromResult(state.State);
}

/// <summary>Progress of the stream scenario: items whose effects were durably applied.</summary>
internal static class StreamProgress
{
    private static long s_applied;
    private static long s_target = long.MaxValue;
    private static TaskCompletionSource<long> s_done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static long AppliedCount => Volatile.Read(ref s_applied);

    public static Task<long> Reset(long target)
    {
        Volatile.Write(ref s_applied, 0);
        s_done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref s_target, target);
        return s_done.Task;
    }

    public static void Applied(int count)
    {
        if (count > 0 && Interlocked.Add(ref s_applied, count) >= Volatile.Read(ref s_target))
        {
            s_done.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }
}
