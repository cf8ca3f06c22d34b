using Grains.Monitoring.Storage;

namespace Grains.IngestBench;

/// <summary>
/// The edge bench's issue store: knows no issue, so the locator names a new issue's grain for each new hash and then
/// answers from its own cache, as a warm server does. Only the locator's two reads are implemented.
/// </summary>
public sealed class NoIssues : IIssueStore
{
    public Task<long?> FindByHashAsync(long projectId, string hash, CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);

    public Task<string?> GetGrainKeyAsync(long issueId, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IssueRecord?> GetAsync(long issueId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IssuePage> QueryAsync(IssueQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>> GetStatsAsync(IReadOnlyList<long> issueIds, string period, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<IssueTagKey>> GetTagsAsync(long issueId, int topValues, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<(IReadOnlyList<IssueTagValue> Values, string? NextCursor)> GetTagValuesAsync(long issueId, string key, int limit, string? cursor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<(string Hash, string ConfigId)>> GetHashesAsync(long issueId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IssueChangeMark> GetChangeMarkAsync(IReadOnlyList<long> projectIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteAsync(long issueId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
