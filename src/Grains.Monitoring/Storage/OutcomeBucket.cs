namespace Grains.Monitoring.Storage;

/// <summary>The accepted quantity of one category in one hour (<paramref name="HourStart"/> is a unix time at a whole hour).</summary>
public readonly record struct OutcomeBucket(string Category, long HourStart, long Quantity);
