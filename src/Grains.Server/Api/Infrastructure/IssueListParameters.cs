using Grains.Monitoring.Search;

namespace Grains.Server.Api.Infrastructure;

/// <summary>The query parameters of an issue list, validated so a bad one is a 400 naming it.</summary>
internal sealed record IssueListParameters(string? Query, string Sort, string? StatsPeriod, IReadOnlyList<string> Environments, int Limit, string? Cursor)
{
    public const int DefaultLimit = 25;

    /// <summary>
    /// What an explicitly empty <c>query</c> means in Sentry: no filter at all. The store reads a
    /// missing query as <c>is:unresolved</c>, so "everything" is spelled out.
    /// </summary>
    public const string AllStatuses = "is:[unresolved,resolved,ignored]";

    private static readonly string[] Sorts = ["date", "new", "freq", "user"];
    private static readonly string[] StatsPeriods = ["24h", "14d"];

    public static IssueListParameters Parse(HttpRequest request)
    {
        var q = request.Query;
        string? query = null;
        if (q.TryGetValue("query", out var given))
        {
            query = string.IsNullOrWhiteSpace(given.ToString()) ? AllStatuses : given.ToString();

            // Parsed here too so a malformed query is a 400 even when there is nothing to search.
            _ = IssueSearch.Parse(query);
        }

        var sort = q["sort"].ToString();
        if (sort.Length == 0)
        {
            sort = "date";
        }
        else if (!Sorts.Contains(sort))
        {
            throw ApiException.BadRequest($"Invalid sort '{sort}'. Valid choices are {string.Join(", ", Sorts)}.");
        }

        // Sentry's project list calls it statsPeriod, the organization list groupStatsPeriod; both are accepted.
        var period = q.TryGetValue("groupStatsPeriod", out var groupPeriod) ? groupPeriod.ToString()
            : q.TryGetValue("statsPeriod", out var statsPeriod) ? statsPeriod.ToString()
            : "24h";
        if (period.Length != 0 && !StatsPeriods.Contains(period))
        {
            throw ApiException.BadRequest($"Invalid statsPeriod '{period}'. Valid choices are '', '24h' and '14d'.");
        }

        var environments = q["environment"].Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).ToList();
        return new IssueListParameters(query, sort, period.Length == 0 ? null : period, environments, Pagination.Limit(request, DefaultLimit), Pagination.Cursor(request));
    }
}
