using System.Text.Json;

namespace Grains.IngestBench;

/// <summary>
/// One read of a server's <c>/api/0/internal/runtime/</c> (cumulative CPU, GC and JIT counters); the
/// difference of two reads divided by the events in between gives the per-event costs the results report.
/// </summary>
public sealed record RuntimeCounters(double CpuSeconds, long AllocatedBytes, int Gen0, int Gen1, int Gen2, double GcPauseSeconds, long JitMethods, double JitSeconds)
{
    public static RuntimeCounters From(JsonElement json)
    {
        var gc = json.GetProperty("gc");
        var jit = json.GetProperty("jit");
        return new RuntimeCounters(
            json.GetProperty("cpuSeconds").GetDouble(),
            gc.GetProperty("allocatedBytes").GetInt64(),
            gc.GetProperty("gen0Collections").GetInt32(),
            gc.GetProperty("gen1Collections").GetInt32(),
            gc.GetProperty("gen2Collections").GetInt32(),
            gc.GetProperty("pauseSeconds").GetDouble(),
            jit.GetProperty("compiledMethods").GetInt64(),
            jit.GetProperty("compilationSeconds").GetDouble());
    }

    /// <summary>A table row of the costs per event between <paramref name="before"/> and this read.</summary>
    public string PerEventRow(string name, RuntimeCounters before, long events)
    {
        double Per(double value) => events == 0 ? 0 : value / events;
        return $"| {name} | {events:N0} | {Per(CpuSeconds - before.CpuSeconds) * 1e6:N0} µs | {Per(AllocatedBytes - before.AllocatedBytes):N0} B | "
            + $"{Per(GcPauseSeconds - before.GcPauseSeconds) * 1e6:N0} µs | {Gen0 - before.Gen0:N0} / {Gen1 - before.Gen1:N0} / {Gen2 - before.Gen2:N0} | "
            + $"{JitMethods - before.JitMethods:N0} methods, {JitSeconds - before.JitSeconds:0.0} s |";
    }

    public const string Header = """
        | run | events | server CPU/event | allocated/event | GC pause/event | GCs gen0 / gen1 / gen2 | JIT during the run |
        |---|---|---|---|---|---|---|
        """;
}
