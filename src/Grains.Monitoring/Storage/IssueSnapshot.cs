namespace Grains.Monitoring.Storage;

/// <summary>
/// What an issue grain writes to the query store after a turn: the summary, and the tag values and
/// hourly buckets that changed (absolute values, so writing the same snapshot twice is harmless).
/// </summary>
/// <param name="Issue">The summary row.</param>
/// <param name="Hashes">Every grouping hash linked to the issue (with the grouping config id that produced it).</param>
/// <param name="TagValues">Tag values whose counts changed.</param>
/// <param name="TagKeyTotals">Per tag key: total values counted and distinct values, for keys that changed.</param>
/// <param name="HourlyCounts">Hourly buckets that changed.</param>
public sealed record IssueSnapshot(
    IssueRecord Issue,
    IReadOnlyList<(string Hash, string ConfigId)> Hashes,
    IReadOnlyList<IssueTagValue> TagValues,
    IReadOnlyList<(string Key, long TotalValues, long UniqueValues)> TagKeyTotals,
    IReadOnlyList<IssueCountBucket> HourlyCounts);
