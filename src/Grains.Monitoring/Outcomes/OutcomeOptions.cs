namespace Grains.Monitoring.Outcomes;

/// <summary>
/// How outcomes are aggregated and written (configuration section <c>Grains:Outcomes</c>, e.g.
/// <c>Grains__Outcomes__FlushInterval</c>).
/// </summary>
public sealed class OutcomeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Outcomes";

    /// <summary>
    /// Default <see cref="FlushInterval"/>: 5 s. One small write per silo every few seconds costs
    /// nothing beside the events themselves, and the stats page and spike protection see counts
    /// at most this old; a crash loses at most this much of the counts (they are not durable before).
    /// </summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Default <see cref="MaxBatchRows"/>: 1,000 rows per transaction, so a flush after a long outage
    /// (many hours, keys and reasons) is several short transactions rather than one that holds row locks long.
    /// </summary>
    public const int DefaultMaxBatchRows = 1_000;

    /// <summary>How often the aggregated counts are written. Default <see cref="DefaultFlushInterval"/>.</summary>
    public TimeSpan FlushInterval { get; set; } = DefaultFlushInterval;

    /// <summary>Most rows written in one transaction (one batch id). Default <see cref="DefaultMaxBatchRows"/>.</summary>
    public int MaxBatchRows { get; set; } = DefaultMaxBatchRows;
}
