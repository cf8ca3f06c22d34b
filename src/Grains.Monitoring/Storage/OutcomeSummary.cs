namespace Grains.Monitoring.Storage;

/// <summary>A project's accepted outcomes over a period: totals per category and the hourly buckets they sum.</summary>
/// <param name="Totals">Category wire name → accepted quantity.</param>
/// <param name="Series">Non-empty hours, ordered by hour then category.</param>
public sealed record OutcomeSummary(IReadOnlyDictionary<string, long> Totals, IReadOnlyList<OutcomeBucket> Series);
