using System.Collections.Concurrent;
using Grains.Runtime.Reminders;
using Grains.Runtime.Timers;

namespace Grains.Runtime.Tests.Grains;

public interface ITickingGrain : IGrainWithStringKey
{
    /// <summary>Starts a timer whose ticks take longer than its period.</summary>
    Task StartSlowTimer(int periodMs, int tickMs);

    Task<(int Ticks, int MaxOverlap)> Stats();

    Task Stop();
}

public sealed class TickingGrain : Grain, ITickingGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _running;
    private int _maxOverlap;

    public Task StartSlowTimer(int periodMs, int tickMs)
    {
        _timer = RegisterGrainTimer(async _ =>
        {
            var running = Interlocked.Increment(ref _running);
            _maxOverlap = Math.Max(_maxOverlap, running);
            await Task.Delay(tickMs);
            _ticks++;
            Interlocked.Decrement(ref _running);
        }, new GrainTimerCreationOptions { Period = TimeSpan.FromMilliseconds(periodMs), DueTime = TimeSpan.Zero });
        return Task.CompletedTask;
    }

    public Task<(int Ticks, int MaxOverlap)> Stats() => Task.FromResult((_ticks, _maxOverlap));

    public Task Stop()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }
}

public interface IReminderGrain : IGrainWithStringKey, IRemindable
{
    Task Register(string name, int dueMs, int periodMs);
}

public sealed class ReminderGrain : Grain, IReminderGrain
{
    /// <summary>Ticks received per grain key (survives hosts within the test process).</summary>
    public static readonly ConcurrentDictionary<string, int> Ticks = new();

    public Task Register(string name, int dueMs, int periodMs) =>
        RegisterOrUpdateReminder(name, TimeSpan.FromMilliseconds(dueMs), TimeSpan.FromMilliseconds(periodMs));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
