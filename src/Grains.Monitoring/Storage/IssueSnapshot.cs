namespace Grains.Monitoring.Storage;

/// <summary>
/// What an issue grain writes to the query store after a turn: the summary (absolute values), the hash
/// links, and the tag values and hourly buckets its events added (deltas).
/// </summary>
/// <remarks>
/// The deltas are applied only when <paramref name="StreamOffset"/> is above the offset the store last
/// applied for the issue, in the same transaction that records it. A batch redelivered after a crash
/// (the grain's state was not written, the store's was) therefore adds nothing twice, while the grain
/// keeps only small state: counts, not every tag value it has seen.
/// </remarks>
/// <param name="Issue">The summary row (absolute values; written every time).</param>
/// <param name="Hashes">Grouping hashes to link to the issue (first link wins), with the config that produced each.</param>
/// <param name="TagValues">Per tag value: how many events of this snapshot carried it (<see cref="IssueTagValue.Count"/> is a delta) and when.</param>
/// <param name="HourlyCounts">Per hour: how many events of this snapshot fell in it (deltas).</param>
/// <param name="StreamOffset">The stream offset of the last event the deltas include; 0 when there are no deltas.</param>
public sealed record IssueSnapshot(
    IssueRecord Issue,
    IReadOnlyList<(string Hash, string ConfigId)> Hashes,
    IReadOnlyList<IssueTagValue> TagValues,
    IReadOnlyList<IssueCountBucket> HourlyCounts,
    long StreamOffset);
