namespace Grains.Monitoring.Storage;

/// <summary>Events of an issue in one hour (<paramref name="HourStart"/> is a unix time at a whole hour).</summary>
public readonly record struct IssueCountBucket(long HourStart, long Count);
