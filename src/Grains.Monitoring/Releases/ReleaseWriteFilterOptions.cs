namespace Grains.Monitoring.Releases;

/// <summary>
/// Settings of <see cref="ReleaseWriteFilter"/> (section <c>Grains:Workflow:ReleaseWrites</c>), which lets an
/// issue batch skip the release upserts this silo wrote a moment ago.
/// </summary>
public sealed class ReleaseWriteFilterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Workflow:ReleaseWrites";

    /// <summary>
    /// Default for <see cref="Window"/>: 60 seconds, Sentry's own slack: it bumps a release's and a release
    /// environment's <c>last_seen</c> only when the stored one is more than a minute older. Every event of a
    /// release otherwise upserts the same few rows (one per project and environment), which every issue of the
    /// project locks in turn: measured as the largest single PostgreSQL cost per event in the cluster bench.
    /// </summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(60);

    /// <summary>The longest window the validator accepts: a release list an hour behind is no longer "last seen".</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// Default for <see cref="Capacity"/>: 10,000 (project, release, environment) rows. An entry costs about
    /// 150 bytes besides the release and environment strings it shares with the events, so the filter stays near
    /// 2 MB; a silo rarely sees more than a few hundred distinct rows within one window. When it is full, the row
    /// written longest ago is forgotten, and its next event simply writes it again.
    /// </summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>The smallest capacity the validator accepts.</summary>
    public const int MinCapacity = 16;

    /// <summary>The largest capacity the validator accepts (about 1.5 GB): a guard against a typo, not a tuning limit.</summary>
    public const int MaxCapacity = 10_000_000;

    /// <summary>Whether release upserts are filtered at all (default true; false writes every batch's releases, exactly as before).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long this silo trusts a row it wrote, and how far behind the newest event a row's <c>last_seen</c>
    /// may lag (default <see cref="DefaultWindow"/>). <c>first_seen</c> never lags: an earlier event is always written.
    /// </summary>
    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>The most rows remembered (default <see cref="DefaultCapacity"/>).</summary>
    public int Capacity { get; set; } = DefaultCapacity;
}
