namespace Grains.Monitoring.Storage;

/// <summary>
/// A cheap summary of a set of projects' issues that moves whenever the issue stream could show
/// something new: an event (the newest last-seen time) or a status change, first sighting or comment
/// (the newest activity, which every such change records). Equal marks mean nothing to refresh.
/// </summary>
/// <param name="LastSeen">The newest last-seen time of the projects' issues, in microseconds since the epoch (0 without issues).</param>
/// <param name="LastActivityId">The id of the newest issue activity of any project (0 without activities).</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueChangeMark")]
public readonly record struct IssueChangeMark([property: Id(0)] long LastSeen, [property: Id(1)] long LastActivityId);
