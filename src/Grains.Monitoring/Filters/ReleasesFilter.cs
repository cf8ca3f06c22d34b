namespace Grains.Monitoring.Filters;

/// <summary>Relay's <c>releases</c>: the event's <c>release</c> matches one of the globs.</summary>
public sealed class ReleasesFilter(GlobList globs) : IInboundFilter
{
    public string Reason => FilterReasons.ReleaseVersion;

    public bool Matches(FilterEvent e) => globs.IsMatch(e.Release);
}
