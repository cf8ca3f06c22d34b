namespace Grains.Monitoring.Releases;

/// <summary>A release seen by events of a project in one environment ('' for all environments together), with the first and last event time.</summary>
public sealed record ReleaseSeen(long ProjectId, string Version, string Environment, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
