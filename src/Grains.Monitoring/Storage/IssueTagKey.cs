namespace Grains.Monitoring.Storage;

/// <summary>One tag key of an issue with its top values.</summary>
public sealed record IssueTagKey(string Key, long TotalValues, long UniqueValues, IReadOnlyList<IssueTagValue> TopValues);
