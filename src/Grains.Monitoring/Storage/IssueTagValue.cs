namespace Grains.Monitoring.Storage;

/// <summary>How often one tag value occurred on an issue (absolute, as the issue grain counts it).</summary>
public sealed record IssueTagValue(string Key, string Value, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
