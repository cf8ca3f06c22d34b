namespace Grains.Runtime.Reminders;

/// <summary>A durable reminder: grain <paramref name="GrainId"/> is reminded of <paramref name="Name"/> at <paramref name="StartAt"/> and then every <paramref name="Period"/>.</summary>
/// <param name="GrainId">The grain to remind (activated when needed).</param>
/// <param name="Name">The reminder's name, unique per grain.</param>
/// <param name="StartAt">The first due time.</param>
/// <param name="Period">The interval between ticks.</param>
/// <param name="Partition">The grain's partition, so a silo can load only the reminders of the partitions it owns.</param>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, int Partition);
