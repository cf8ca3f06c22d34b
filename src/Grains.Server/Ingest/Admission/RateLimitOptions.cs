namespace Grains.Server.Ingest.Admission;

/// <summary>
/// Quotas and the edge's leases (configuration section <c>Grains:RateLimits</c>, e.g.
/// <c>Grains__RateLimits__Organization__Count=100000</c>). A quota set through the API for one
/// organization or project replaces the default given here for it.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:RateLimits";

    /// <summary>
    /// Default lease divisor: an edge leases a twentieth of a quota's limit at a time. Smaller slices
    /// call the bucket grain more often; larger ones let more of the budget sit unused in one silo
    /// (and bound the overshoot at a window boundary: at most one slice per silo, docs/runtime.md).
    /// </summary>
    public const int DefaultLeaseDivisor = 20;

    /// <summary>Default share of the organization's quota a single project may use: 100 %, Sentry's default.</summary>
    public const int DefaultProjectSharePercent = 100;

    /// <summary>Whether quotas are enforced at all. Default true (with no quota configured nothing is limited).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every organization's quota unless the API sets its own. Default none.</summary>
    public QuotaSetting Organization { get; set; } = new();

    /// <summary>Every project's quota unless the API sets its own. Default none.</summary>
    public QuotaSetting Project { get; set; } = new();

    /// <summary>
    /// Sentry's <c>sentry:project-rate-limit</c>: the percentage (1 to 100) of the organization's quota
    /// one project may use, so that one project cannot starve its siblings. A project option of the
    /// same name overrides it. Default <see cref="DefaultProjectSharePercent"/>.
    /// </summary>
    public int ProjectSharePercent { get; set; } = DefaultProjectSharePercent;

    /// <summary>An edge leases <c>limit / LeaseDivisor</c> items (at least 1) from a bucket at a time. Default <see cref="DefaultLeaseDivisor"/>.</summary>
    public int LeaseDivisor { get; set; } = DefaultLeaseDivisor;
}
