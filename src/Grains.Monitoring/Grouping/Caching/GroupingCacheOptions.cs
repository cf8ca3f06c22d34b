namespace Grains.Monitoring.Grouping.Caching;

/// <summary>
/// Settings of <see cref="GroupingCache"/> (section <c>Grains:Grouping:Cache</c>), which keeps the result of
/// stack-trace rule matching per distinct frame across events.
/// </summary>
public sealed class GroupingCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Grouping:Cache";

    /// <summary>
    /// Default for <see cref="MaxFrames"/>: 50,000 distinct frames. An entry costs about 0.4 KB (measured: 397 B
    /// on the ingest bench corpus; its key holds the frame's path, module, function and package strings, the value
    /// a few rule indexes; frames with longer strings than <see cref="GroupingCache.MaxKeyLength"/> are not kept),
    /// so the cache stays near 20 MB, a twenty-fifth of the 500 MB a small server is given. Real traffic repeats a
    /// few thousand distinct frames (the bench's 1,000 stack traces have 8,423); beyond the cap the least recently
    /// seen half is dropped and a frame seen again is matched once more. An event whose frames all miss costs about
    /// 10–15 % more than grouping without the cache, so a flood of never-repeating frames costs about what grouping
    /// cost before; the cap bounds memory, not time.
    /// </summary>
    public const int DefaultMaxFrames = 50_000;

    /// <summary>The smallest cap the validator accepts: below it, two generations cannot hold one event's frames.</summary>
    public const int MinMaxFrames = 256;

    /// <summary>The largest cap the validator accepts (about 5 GB of entries): a guard against a typo, not a tuning limit.</summary>
    public const int MaxMaxFrames = 10_000_000;

    /// <summary>Whether grouping caches rule matching at all (default true; false groups exactly as before, frame by frame).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most distinct frames kept (default <see cref="DefaultMaxFrames"/>).</summary>
    public int MaxFrames { get; set; } = DefaultMaxFrames;
}
