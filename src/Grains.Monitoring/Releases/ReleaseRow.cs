namespace Grains.Monitoring.Releases;

/// <summary>One organization release as one project saw it in one environment ('' for all together): a row of the release list.</summary>
public sealed record ReleaseRow(long Id, string Version, DateTimeOffset DateCreated, long ProjectId, string Environment, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
