namespace Grains.Server.Ingest;

/// <summary>
/// Memory bounds of the ingest edge (configuration section <c>Grains:Ingest</c>, e.g.
/// <c>Grains__Ingest__MaxInflatingBytes</c>).
/// </summary>
public sealed class IngestMemoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Ingest";

    /// <summary>
    /// Upper bound of the default <see cref="MaxInflatingBytes"/>: 256 MiB, room for one maximal (200 MiB)
    /// envelope or many ordinary ones; memory use peaks at a few times this (garbage the GC has yet to
    /// collect, see <see cref="LargeBufferReclaimer"/>; bench/results/memory.md).
    /// </summary>
    public const long DefaultMaxInflatingBytesCap = 256L * 1024 * 1024;

    /// <summary>
    /// Most bytes all request bodies being decoded and parsed may hold at once (the silo-wide
    /// <see cref="Grains.Ingestion.Body.InflationBudget"/>). Default (<c>null</c>): a quarter of the
    /// memory available to the process, at most <see cref="DefaultMaxInflatingBytesCap"/>. A single
    /// body is served even when it needs more than this, as long as it is alone.
    /// </summary>
    public long? MaxInflatingBytes { get; set; }

    /// <summary>How long a request waits for room in the budget before it gets 503. Default 2 s.</summary>
    public TimeSpan InflationWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> of that 503, rounded up to whole seconds. Default 2 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a burst of large bodies, how long the edge must have been idle (nothing being decoded)
    /// before it asks the GC to return the released buffers to the system. Default 5 s.
    /// </summary>
    public TimeSpan ReclaimAfterIdle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Large-buffer bytes that must have been released since the last reclaim to justify one. Default 64 MiB.</summary>
    public long ReclaimThresholdBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary><see cref="MaxInflatingBytes"/>, or its default for this process.</summary>
    public long ResolveMaxInflatingBytes() =>
        MaxInflatingBytes ?? Math.Min(DefaultMaxInflatingBytesCap, Math.Max(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, 64L * 1024 * 1024));
}
