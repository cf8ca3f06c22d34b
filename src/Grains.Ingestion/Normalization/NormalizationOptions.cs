namespace Grains.Ingestion.Normalization;

/// <summary>
/// Normalization limits. Defaults are the figures of the protocol reference (§4.1, §4.3, §4.4, §4.6)
/// and Relay's config (<c>max_secs_in_future</c>, <c>max_secs_in_past</c>, <c>max_breadcrumbs</c>).
/// </summary>
public sealed record NormalizationOptions
{
    /// <summary>The defaults.</summary>
    public static NormalizationOptions Default { get; } = new();

    /// <summary>Timestamps further in the future are replaced by the receive time.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timestamps further in the past are replaced by the receive time (retention window).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Clock drift between <c>sent_at</c> and receipt below which timestamps are left alone.</summary>
    public TimeSpan MinimumClockDrift { get; init; } = TimeSpan.FromMinutes(55);

    /// <summary>Breadcrumbs kept (the most recent ones).</summary>
    public int MaxBreadcrumbs { get; init; } = 100;

    /// <summary>Stack frames kept per stack trace (oldest and newest halves; the middle is dropped).</summary>
    public int MaxFrames { get; init; } = 50;

    /// <summary>Characters of <c>logentry.message</c>/<c>formatted</c> and exception values.</summary>
    public int MaxMessageLength { get; init; } = 8192;

    /// <summary>Characters of a tag key, and of a tag value.</summary>
    public int MaxTagLength { get; init; } = 200;
}
