namespace Grains.Runtime.Reminders;

/// <summary>Durable storage of reminders.</summary>
public interface IReminderTable
{
    /// <summary>Reads the reminders of the grains in one partition.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces a reminder (by grain id and name); durable on completion.</summary>
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes a reminder; returns whether it existed.</summary>
    Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);
}
