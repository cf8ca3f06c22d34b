namespace Grains.Server.Silo;

/// <summary>
/// How much a silo keeps in memory between events (section <c>Grains:Silo:Memory</c>): the most issue-grain
/// activations it holds (<see cref="IssueActivationBudget"/>) and the size of Orleans' grain-directory cache.
/// </summary>
/// <remarks>
/// Measured on the embedded server (bench/results/ingest.md, issue 14): an idle issue activation with its
/// state, stream subscription and Orleans bookkeeping holds about 15 KB of managed heap, so 20,000 issues seen
/// in the last half minute (the idle collection age) held 300 MB before any cap, and a flood of new issues
/// grows the process by the number of issues it processes per half minute.
/// </remarks>
public sealed class SiloMemoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Silo:Memory";

    /// <summary>
    /// Default for <see cref="MaxIssueActivations"/>: 2,000 (about 40 MB of activations). The stream delivery
    /// limit (<see cref="SiloDefaults.MaxConcurrentDeliveries"/>, 256) is the most issues that work at once,
    /// so the cap leaves room for eight times that many recently used issues before one that is idle has to
    /// be reloaded (one state read when its next event comes). Measured in the same minute, 50,000 distinct
    /// issues: peak RSS 526 MB with 2,000 against 593 MB with 5,000, both processed in the same time.
    /// </summary>
    public const int DefaultMaxIssueActivations = 2_000;

    /// <summary>The smallest cap the validator accepts: twice the deliveries in flight, so a busy issue is not shed to make room for another.</summary>
    public const int MinMaxIssueActivations = 2 * SiloDefaults.MaxConcurrentDeliveries;

    /// <summary>The largest cap the validator accepts (about 15 GB of activations): a guard against a typo.</summary>
    public const int MaxMaxIssueActivations = 1_000_000;

    /// <summary>Default for <see cref="CheckInterval"/>: 1 s (a flood of new issues adds at most about 1,000 activations a second on 2 cores).</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Default for <see cref="DirectoryCacheSize"/>: 100,000 grain addresses. Orleans' default of 1,000,000
    /// allocates its whole bucket array up front (9 MB measured) whatever the silo holds; the cache only saves a
    /// directory lookup for a grain on another silo, and a miss costs one.
    /// </summary>
    public const int DefaultDirectoryCacheSize = 100_000;

    /// <summary>
    /// The most issue-grain activations the silo keeps (default <see cref="DefaultMaxIssueActivations"/>);
    /// over it, the least recently used idle ones are deactivated down to nine tenths of it. 0 switches the
    /// cap off (Orleans' idle collection alone).
    /// </summary>
    public int MaxIssueActivations { get; set; } = DefaultMaxIssueActivations;

    /// <summary>How often the cap is checked (default <see cref="DefaultCheckInterval"/>).</summary>
    public TimeSpan CheckInterval { get; set; } = DefaultCheckInterval;

    /// <summary>Grain addresses kept in Orleans' directory cache (default <see cref="DefaultDirectoryCacheSize"/>).</summary>
    public int DirectoryCacheSize { get; set; } = DefaultDirectoryCacheSize;

    /// <summary>
    /// How long an issue's stream may be idle before the ingest stream's pulling agents forget it (their consumer
    /// record and cache cursor for it; default <see cref="Grains.Streaming.DurableLogStreamOptions.DefaultStreamInactivityPeriod"/>).
    /// Forgetting costs nothing durable: the next event of the issue makes a new record. Shorter holds fewer
    /// records after a flood of new issues; a stream forgotten while it still receives events is re-registered.
    /// </summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = Grains.Streaming.DurableLogStreamOptions.DefaultStreamInactivityPeriod;
}
