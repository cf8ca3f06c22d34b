namespace Grains.Runtime.Reminders;

/// <summary>An in-process <see cref="IReminderTable"/> for tests; nothing survives the process.</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId GrainId, string Name), ReminderEntry> _entries = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // Same order as the durable providers (grain id, then name) so callers see deterministic results.
            IReadOnlyList<ReminderEntry> entries = [.. _entries.Values
                .Where(e => e.Partition == partition)
                .OrderBy(e => e.GrainId.ToString(), StringComparer.Ordinal)
                .ThenBy(e => e.Name, StringComparer.Ordinal)];
            return Task.FromResult(entries);
        }
    }

    /// <inheritdoc />
    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Name);
        ArgumentOutOfRangeException.ThrowIfNegative(entry.Partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _entries[(entry.GrainId, entry.Name)] = entry;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_entries.Remove((grainId, name)));
        }
    }
}
