using Grains.Monitoring.Outcomes;

namespace Grains.Server.Api.Stats;

/// <summary>
/// A parsed <c>stats_v2</c> query (Sentry's outcomes <c>QueryDefinition</c>): the fields, the dimensions
/// to group by, the time range cut into intervals, and the filters, resolved to what is stored.
/// </summary>
/// <param name="Fields">Distinct, in request order: <c>sum(quantity)</c>, <c>sum(times_seen)</c>.</param>
/// <param name="GroupBy">Distinct dimensions: <c>outcome</c>, <c>category</c>, <c>reason</c>, <c>project</c>.</param>
/// <param name="Start">The first interval's start (unix seconds, a multiple of <paramref name="Interval"/>).</param>
/// <param name="End">The end of the last interval (exclusive).</param>
/// <param name="Interval">Seconds per interval: a whole number of hours that divides a day.</param>
/// <param name="Categories">Stored categories to keep (<c>error</c> expanded to default, error and security); null for all.</param>
/// <param name="Outcomes">Outcomes to keep; null for all.</param>
/// <param name="Reason">The stored reason to keep (<c>spike_protection</c> is stored as <c>smart_rate_limit</c>); null for all.</param>
/// <param name="Projects">Project ids to keep; null for all the organization's.</param>
public sealed record StatsQuery(
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> GroupBy,
    long Start,
    long End,
    int Interval,
    IReadOnlySet<string>? Categories,
    IReadOnlySet<OutcomeKind>? Outcomes,
    string? Reason,
    IReadOnlyList<long>? Projects)
{
    /// <summary>The number of intervals.</summary>
    public int IntervalCount => (int)((End - Start) / Interval);
}
