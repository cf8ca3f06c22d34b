namespace Grains.Monitoring.Storage;

/// <summary>
/// The query store: issue summaries, tag aggregates, hourly counts and hash links in relational
/// tables. Lists, sorting, search and paging read only this; issue grains write it.
/// </summary>
public interface IIssueStore
{
    /// <summary>Writes an issue's snapshot in one transaction: the summary, new hash links, and — when its stream offset is new for the issue — its tag and hourly deltas.</summary>
    Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default);

    Task<IssueRecord?> GetAsync(long issueId, CancellationToken cancellationToken = default);

    /// <summary>The issue a grouping hash of a project is linked to, or null.</summary>
    Task<long?> FindByHashAsync(long projectId, string hash, CancellationToken cancellationToken = default);

    /// <summary>The grain key of an issue (to reach its grain from an id), or null.</summary>
    Task<string?> GetGrainKeyAsync(long issueId, CancellationToken cancellationToken = default);

    /// <summary>Lists issues.</summary>
    /// <exception cref="Search.SearchSyntaxException">The query is malformed (the message names the term).</exception>
    Task<IssuePage> QueryAsync(IssueQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Event counts per issue for the list's <c>stats</c>: <paramref name="period"/> <c>24h</c> gives 24
    /// hourly buckets, <c>14d</c> 14 daily buckets, ending at <paramref name="now"/>; each bucket is (unix start, count).
    /// </summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>> GetStatsAsync(IReadOnlyList<long> issueIds, string period, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The issue's tag keys with their top <paramref name="topValues"/> values by count.</summary>
    Task<IReadOnlyList<IssueTagKey>> GetTagsAsync(long issueId, int topValues, CancellationToken cancellationToken = default);

    /// <summary>All values of one tag key of an issue by count, paged.</summary>
    Task<(IReadOnlyList<IssueTagValue> Values, string? NextCursor)> GetTagValuesAsync(long issueId, string key, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>The hashes linked to an issue with the grouping config of each.</summary>
    Task<IReadOnlyList<(string Hash, string ConfigId)>> GetHashesAsync(long issueId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A mark that changes when the issues of <paramref name="projectIds"/> change in a way a list shows
    /// (cheap: an index lookup per project), for live pages that poll it.
    /// </summary>
    Task<IssueChangeMark> GetChangeMarkAsync(IReadOnlyList<long> projectIds, CancellationToken cancellationToken = default);

    /// <summary>Deletes an issue and everything the query store holds for it (hash links included).</summary>
    Task DeleteAsync(long issueId, CancellationToken cancellationToken = default);
}
