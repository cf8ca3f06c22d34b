namespace Grains.Monitoring.SpikeProtection;

/// <summary>
/// Spike protection (configuration section <c>Grains:SpikeProtection</c>, e.g.
/// <c>Grains__SpikeProtection__Enabled=false</c>). Per project it is switched with the project option
/// <c>quotas:spike-protection-disabled</c>.
/// </summary>
public sealed class SpikeProtectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:SpikeProtection";

    /// <summary>
    /// Default <see cref="MinimumThreshold"/>: 500 an hour, Sentry's floor for its smallest plan (5,000
    /// reserved events a month / 10); a project never gets a lower threshold.
    /// </summary>
    public const long DefaultMinimumThreshold = 500;

    /// <summary>
    /// Default <see cref="MinimumHistory"/>: a day. Until a project has a day of outcomes there is no
    /// baseline to call anything a spike against (a new project, or a new server, is not limited).
    /// </summary>
    public static readonly TimeSpan DefaultMinimumHistory = TimeSpan.FromDays(1);

    /// <summary>Default <see cref="RefreshInterval"/>: an hour, as Sentry recomputes its thresholds.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromHours(1);

    /// <summary>On for every project unless it opts out (default true); false turns it off for all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The lowest hourly threshold. Default <see cref="DefaultMinimumThreshold"/>.</summary>
    public long MinimumThreshold { get; set; } = DefaultMinimumThreshold;

    /// <summary>How far back a project's first outcome must be before it is protected. Default <see cref="DefaultMinimumHistory"/>.</summary>
    public TimeSpan MinimumHistory { get; set; } = DefaultMinimumHistory;

    /// <summary>How often the thresholds are recomputed from the stored outcomes. Default <see cref="DefaultRefreshInterval"/>.</summary>
    public TimeSpan RefreshInterval { get; set; } = DefaultRefreshInterval;
}
