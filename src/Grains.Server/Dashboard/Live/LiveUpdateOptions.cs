namespace Grains.Server.Dashboard.Live;

/// <summary>How live pages notice changes (<c>Grains:Dashboard:Live</c>).</summary>
public sealed class LiveUpdateOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Grains:Dashboard:Live";

    /// <summary>
    /// One second: a new issue or count shows within about a second and a half, while a silo with open
    /// pages costs the database one index lookup per watched project and one for the activities per second
    /// (whatever the number of pages: pages watching the same projects share the poll).
    /// </summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Two seconds: under a flood of events a page re-runs its query at most every two seconds, so a
    /// thousand events a second cost each open page one query per two seconds, not a thousand.
    /// </summary>
    public static readonly TimeSpan DefaultMinRefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often the silo polls the store's change mark while any page watches.</summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>The least time between two refreshes of one page.</summary>
    public TimeSpan MinRefreshInterval { get; set; } = DefaultMinRefreshInterval;
}
