using System.Collections.Concurrent;

namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>The ticks of every <see cref="ReminderProbeGrain"/> in this test process (silos run in-process).</summary>
public static class ReminderTicks
{
    public static ConcurrentQueue<ReminderTick> All { get; } = new();
}
