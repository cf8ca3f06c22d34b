using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Reminders;

/// <summary>
/// Fires the durable reminders of the partitions this silo owns: loads them from the table at start,
/// keeps one timer per reminder, and calls <see cref="IRemindable.ReceiveReminder"/> on the grain
/// (activating it). Registration writes the table first, so a reminder survives a crash as soon as
/// the call that registered it returned.
/// </summary>
internal sealed class ReminderService(GrainRuntime runtime, IReminderTable table, TimeProvider time)
{
    private readonly ConcurrentDictionary<(GrainId, string), ScheduledReminder> _scheduled = new();
    private volatile bool _stopped;

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in runtime.Directory.LocalPartitions)
        {
            await StartPartitionAsync(partition, cancellationToken);
        }
    }

    /// <summary>Loads and schedules the reminders of a partition this silo just acquired.</summary>
    public async Task StartPartitionAsync(int partition, CancellationToken cancellationToken = default)
    {
        foreach (var entry in await table.ReadPartitionAsync(partition, cancellationToken))
        {
            Schedule(entry);
        }
    }

    /// <summary>Stops firing the reminders of a partition this silo no longer owns (the table keeps them).</summary>
    public void StopPartition(int partition)
    {
        foreach (var (key, reminder) in _scheduled)
        {
            if (reminder.Entry.Partition == partition && _scheduled.TryRemove(new KeyValuePair<(GrainId, string), ScheduledReminder>(key, reminder)))
            {
                reminder.Dispose();
            }
        }
    }

    public void Stop()
    {
        _stopped = true;
        foreach (var reminder in _scheduled.Values)
        {
            reminder.Dispose();
        }

        _scheduled.Clear();
    }

    public async Task RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (period < runtime.Options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"A reminder period must be at least {runtime.Options.MinimumReminderPeriod} (GrainsOptions.MinimumReminderPeriod).");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder's due time cannot be negative.");
        }

        var entry = new ReminderEntry(grainId, name, time.GetUtcNow() + dueTime, period, runtime.PartitionOf(grainId));
        await table.UpsertAsync(entry);
        Schedule(entry);
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        await table.RemoveAsync(grainId, name);
        if (_scheduled.TryRemove((grainId, name), out var reminder))
        {
            reminder.Dispose();
        }
    }

    private void Schedule(ReminderEntry entry)
    {
        if (_stopped)
        {
            return;
        }

        var reminder = new ScheduledReminder(this, entry);
        _scheduled.AddOrUpdate((entry.GrainId, entry.Name), reminder, (_, previous) =>
        {
            previous.Dispose();
            return reminder;
        });
        reminder.Arm(NextDue(entry));
    }

    private DateTimeOffset NextDue(ReminderEntry entry, DateTimeOffset? after = null)
    {
        var now = after ?? time.GetUtcNow();
        if (entry.StartAt > now)
        {
            return entry.StartAt;
        }

        var periods = (now - entry.StartAt).Ticks / entry.Period.Ticks + 1;
        return entry.StartAt + TimeSpan.FromTicks(entry.Period.Ticks * periods);
    }

    private async Task FireAsync(ScheduledReminder reminder, DateTimeOffset due)
    {
        var entry = reminder.Entry;
        try
        {
            var grain = runtime.GetGrain<IRemindable>(entry.GrainId);
            await grain.ReceiveReminder(entry.Name, new TickStatus(entry.StartAt, entry.Period, due));
        }
        catch (Exception exception)
        {
            runtime.Logger.LogWarning(exception, "Reminder {ReminderName} of grain {GrainId} failed", entry.Name, entry.GrainId);
        }

        if (!_stopped && _scheduled.TryGetValue((entry.GrainId, entry.Name), out var current) && ReferenceEquals(current, reminder))
        {
            reminder.Arm(NextDue(entry, due));
        }
    }

    private sealed class ScheduledReminder(ReminderService service, ReminderEntry entry) : IDisposable
    {
        private Timer? _timer;
        private bool _disposed;

        public ReminderEntry Entry => entry;

        public void Arm(DateTimeOffset due)
        {
            lock (this)
            {
                if (_disposed)
                {
                    return;
                }

                var delay = due - service.Now;
                if (delay < TimeSpan.Zero)
                {
                    delay = TimeSpan.Zero;
                }

                _timer?.Dispose();
                _timer = new Timer(_ => _ = service.FireAsync(this, due), null, delay, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            lock (this)
            {
                _disposed = true;
                _timer?.Dispose();
            }
        }
    }
}
