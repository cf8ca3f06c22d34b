using System.Diagnostics.Metrics;

namespace Grains.Monitoring.Grouping;

/// <summary>Grouping's metrics (meter <c>Grains.Grouping</c>, exported with every <c>Grains.*</c> meter).</summary>
public static class GroupingInstruments
{
    /// <summary>The name of grouping's Meter.</summary>
    public const string MeterName = "Grains.Grouping";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Frames whose stack-trace rule matching was found in <see cref="Caching.GroupingCache"/>.</summary>
    public static readonly Counter<long> FrameCacheHits = Meter.CreateCounter<long>(
        "grains.grouping.frame_cache.hits", "{frame}", "Frames whose stack-trace rule matching came from the grouping cache.");

    /// <summary>Frames matched against every rule because the cache did not have them.</summary>
    public static readonly Counter<long> FrameCacheMisses = Meter.CreateCounter<long>(
        "grains.grouping.frame_cache.misses", "{frame}", "Frames matched against every stack-trace rule because the grouping cache did not have them.");

    /// <summary>Times the cache dropped its older half because it reached its cap.</summary>
    public static readonly Counter<long> FrameCacheEvictions = Meter.CreateCounter<long>(
        "grains.grouping.frame_cache.evictions", "{entry}", "Entries dropped by the grouping cache at its cap.");
}
