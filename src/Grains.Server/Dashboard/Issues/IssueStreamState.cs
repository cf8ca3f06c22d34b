using System.Globalization;
using System.Text;

namespace Grains.Server.Dashboard.Issues;

/// <summary>
/// What the issue stream shows, all of it in the URL's query (<c>query</c>, <c>sort</c>, <c>statsPeriod</c>,
/// <c>environment</c>, <c>project</c>, <c>cursor</c>, as Sentry names them) so a reload or a shared link shows the
/// same page. Defaults are left out of the URL.
/// </summary>
/// <param name="Query">The search as typed; null means the default (<see cref="DefaultQuery"/>), empty means every issue.</param>
/// <param name="Sort">One of <see cref="Sorts"/>.</param>
/// <param name="StatsPeriod">One of <see cref="Periods"/>: only issues seen within it, and the span of the row charts.</param>
/// <param name="Environment">Only issues seen in this environment; null for all.</param>
/// <param name="Project">Only this project (by id); null for every project of the organization.</param>
/// <param name="Cursor">The page (the store's opaque cursor); null for the first.</param>
public sealed record IssueStreamState(string? Query = null, string Sort = IssueStreamState.DefaultSort, string StatsPeriod = IssueStreamState.DefaultPeriod,
    string? Environment = null, long? Project = null, string? Cursor = null)
{
    /// <summary>The search a stream starts with, as in Sentry.</summary>
    public const string DefaultQuery = "is:unresolved";

    /// <summary>Last seen first.</summary>
    public const string DefaultSort = "date";

    /// <summary>Sentry's default period of the issue stream.</summary>
    public const string DefaultPeriod = "14d";

    /// <summary>Issues per page.</summary>
    public const int PageSize = 25;

    /// <summary>The sorts (the API's values) with their labels.</summary>
    public static IReadOnlyList<(string Value, string Label)> Sorts { get; } =
        [("date", "Last seen"), ("new", "First seen"), ("freq", "Events"), ("user", "Users")];

    /// <summary>The periods with their labels; each is a <c>lastSeen:-…</c> filter and the row chart's span (24 hours hourly, days daily).</summary>
    public static IReadOnlyList<(string Value, string Label)> Periods { get; } =
        [("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("14d", "Last 14 days"), ("30d", "Last 30 days")];

    /// <summary>The search shown in the box.</summary>
    public string ShownQuery => Query ?? DefaultQuery;

    /// <summary>
    /// The search given to the store: the box's search (empty means every status, spelled out because the
    /// store reads an empty query as <c>is:unresolved</c>) and the period as a <c>lastSeen</c> term.
    /// </summary>
    public string StoreQuery
    {
        get
        {
            var shown = ShownQuery.Trim();
            return (shown.Length == 0 ? Api.Infrastructure.IssueListParameters.AllStatuses : shown) + " lastSeen:-" + StatsPeriod;
        }
    }

    /// <summary>The state read from a URL's query values, unknown sorts and periods replaced by the defaults.</summary>
    public static IssueStreamState From(string? query, string? sort, string? statsPeriod, string? environment, string? project, string? cursor) => new(
        query,
        Sorts.Any(s => s.Value == sort) ? sort! : DefaultSort,
        Periods.Any(p => p.Value == statsPeriod) ? statsPeriod! : DefaultPeriod,
        string.IsNullOrEmpty(environment) ? null : environment,
        long.TryParse(project, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
        string.IsNullOrEmpty(cursor) ? null : cursor);

    /// <summary>The stream's URL in <paramref name="organization"/> with this state.</summary>
    public string ToUrl(string organization)
    {
        var url = new StringBuilder(DashboardRoutes.Issues(organization));
        var separator = '?';
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            url.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        Add("query", Query);
        Add("sort", Sort == DefaultSort ? null : Sort);
        Add("statsPeriod", StatsPeriod == DefaultPeriod ? null : StatsPeriod);
        Add("environment", Environment);
        Add("project", Project?.ToString(CultureInfo.InvariantCulture));
        Add("cursor", Cursor);
        return url.ToString();
    }

    /// <summary>The row charts' buckets for the store's stats: hourly over a day, else daily.</summary>
    public string ChartPeriod => StatsPeriod;
}
