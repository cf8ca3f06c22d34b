namespace Grains.Runtime.Reminders;

/// <summary>
/// Implemented by grains that register reminders. A tick activates the grain when needed and runs as
/// a turn. Ticks can be missed (while no silo owns the grain's partition) or repeated (a silo died
/// after the tick ran but before it knew), so handlers must be idempotent.
/// </summary>
public interface IRemindable : IGrain
{
    /// <summary>Receives a tick of reminder <paramref name="reminderName"/>.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
