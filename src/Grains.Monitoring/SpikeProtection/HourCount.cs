namespace Grains.Monitoring.SpikeProtection;

/// <summary>One past hour of a project's category: items accepted, and items spike protection dropped.</summary>
public readonly record struct HourCount(long Accepted, long Dropped);
