using System.Diagnostics;
using Grains.Runtime.Hosting;

namespace Grains.Runtime.Benchmarks;

/// <summary>One measured configuration of the call scenario.</summary>
internal sealed record CallResult(string Target, bool Shared, bool Awaiting, int Callers, long Calls, double Seconds, double P50Us, double P99Us, double BytesPerCall)
{
    public double CallsPerSecond => Calls / Seconds;
}

/// <summary>
/// Local grain calls from N concurrent callers, against the floor: the same method on a plain object
/// behind a <see cref="SemaphoreSlim"/> (WaitAsync/Release), with the same callers and the same loop.
/// </summary>
/// <remarks>
/// Every caller is an async loop on the thread pool that yields every <see cref="CallsPerSlice"/>
/// calls, so N callers really interleave on the 2 cores (a synchronous call never yields by itself).
/// Each call is timed (two <see cref="Stopwatch.GetTimestamp"/> reads, on both sides alike).
/// </remarks>
internal static class CallBenchmarks
{
    private const int CallsPerSlice = 32;

    public static async Task<List<CallResult>> RunAsync(Settings settings, Action<string> log)
    {
        await using var host = await SiloHost.StartAsync(
            builder => builder.AddGrainAssembly(typeof(PingGrain).Assembly),
            services => services.AddGrainsMemoryStorage());
        var factory = host.GrainFactory;
        var results = new List<CallResult>();
        long nextKey = 1_000_000;

        // JIT warm-up of every path (tier-1 with PGO) so the first configuration measured is not penalised.
        var warm = Enumerable.Range(0, 8).Select(i => factory.GetGrain<IPingGrain>(-1_000 - i)).ToArray();
        foreach (var awaiting in new[] { false, true })
        {
            await MeasureAsync(awaiting, 8, settings.JitWarmup, TimeSpan.Zero, i => new GrainCaller(warm[i], awaiting));
            await MeasureAsync(awaiting, 8, settings.JitWarmup, TimeSpan.Zero, _ => new LockedCaller(new PlainPing(), new SemaphoreSlim(1, 1), awaiting));
        }

        foreach (var awaiting in new[] { false, true })
        {
            foreach (var shared in new[] { false, true })
            {
                foreach (var callers in settings.CallerCounts)
                {
                    // Runtime: each caller its own grain (fresh keys, activated before measuring), or all one grain.
                    var first = Interlocked.Add(ref nextKey, callers) - callers;
                    var grains = Enumerable.Range(0, callers).Select(i => factory.GetGrain<IPingGrain>(shared ? -1 - first : first + i)).ToArray();
                    foreach (var grain in grains.Distinct())
                    {
                        await grain.Ping();
                    }

                    var runtime = await MeasureAsync(settings, awaiting, callers, i => new GrainCaller(grains[i], awaiting));
                    results.Add(runtime with { Target = "grain", Shared = shared });
                    log($"  grain {(awaiting ? "awaiting" : "sync")} {(shared ? "shared" : "own")} x{callers}: {runtime.CallsPerSecond:N0} calls/s p50 {runtime.P50Us:0.00} us p99 {runtime.P99Us:0.00} us, {runtime.BytesPerCall:0} B/call");

                    // Floor: a plain object per caller (or one shared) behind its async lock.
                    var sharedLock = new SemaphoreSlim(1, 1);
                    var sharedObject = new PlainPing();
                    var floor = await MeasureAsync(settings, awaiting, callers, _ => shared
                        ? new LockedCaller(sharedObject, sharedLock, awaiting)
                        : new LockedCaller(new PlainPing(), new SemaphoreSlim(1, 1), awaiting));
                    results.Add(floor with { Target = "floor", Shared = shared });
                    log($"  floor {(awaiting ? "awaiting" : "sync")} {(shared ? "shared" : "own")} x{callers}: {floor.CallsPerSecond:N0} calls/s p50 {floor.P50Us:0.00} us p99 {floor.P99Us:0.00} us, {floor.BytesPerCall:0} B/call");
                }
            }
        }

        await host.StopAsync();
        return results;
    }

    private static Task<CallResult> MeasureAsync(Settings settings, bool awaiting, int callerCount, Func<int, Caller> create) => awaiting
        ? MeasureAsync(awaiting, callerCount, settings.AwaitingWarmup, settings.AwaitingMeasure, create)
        : MeasureAsync(awaiting, callerCount, settings.CallWarmup, settings.CallMeasure, create);

    private static async Task<CallResult> MeasureAsync(bool awaiting, int callerCount, TimeSpan warmup, TimeSpan measure, Func<int, Caller> create)
    {
        var control = new Control();
        var callers = Enumerable.Range(0, callerCount).Select(create).ToArray();
        var loops = callers.Select(caller => Task.Run(() => caller.LoopAsync(control))).ToArray();

        await Task.Delay(warmup);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var callsBefore = callers.Sum(c => Volatile.Read(ref c.Calls));
        var started = Stopwatch.GetTimestamp();
        control.Measuring = true;
        await Task.Delay(measure);
        control.Measuring = false;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var calls = callers.Sum(c => Volatile.Read(ref c.Calls)) - callsBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        control.Stop = true;
        await Task.WhenAll(loops);

        var histogram = new Histogram();
        foreach (var caller in callers)
        {
            histogram.Add(caller.Latencies);
        }

        return new CallResult("", false, awaiting, callerCount, calls, elapsed,
            histogram.PercentileMicroseconds(0.50), histogram.PercentileMicroseconds(0.99), (double)allocated / Math.Max(1, calls));
    }

    private sealed class Control
    {
        public volatile bool Measuring;
        public volatile bool Stop;
    }

    private abstract class Caller
    {
        public long Calls;
        public readonly Histogram Latencies = new();

        public abstract Task<int> CallAsync();

        public async Task LoopAsync(Control control)
        {
            var sum = 0;
            while (!control.Stop)
            {
                var measuring = control.Measuring;
                for (var i = 0; i < CallsPerSlice; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    sum += await CallAsync();
                    var end = Stopwatch.GetTimestamp();
                    if (measuring)
                    {
                        Latencies.Record(end - start);
                    }
                }

                Volatile.Write(ref Calls, Calls + CallsPerSlice);

                // Let the other callers on this core have their turn.
                await Task.Yield();
            }

            GC.KeepAlive(sum);
        }
    }

    private sealed class GrainCaller(IPingGrain grain, bool awaiting) : Caller
    {
        public override Task<int> CallAsync() => awaiting ? grain.PingYield() : grain.Ping();
    }

    private sealed class LockedCaller(PlainPing target, SemaphoreSlim gate, bool awaiting) : Caller
    {
        public override async Task<int> CallAsync()
        {
            await gate.WaitAsync();
            try
            {
                return awaiting ? await target.PingYield() : await target.Ping();
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
