namespace Grains.Runtime.Reminders;

/// <summary>When a reminder tick was due.</summary>
/// <param name="FirstTickTime">The reminder's first due time.</param>
/// <param name="Period">The reminder's period.</param>
/// <param name="CurrentTickTime">The due time of this tick.</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
