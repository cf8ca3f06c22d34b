using Grains.Monitoring.Storage;

namespace Grains.Server.Dashboard.Issues;

/// <summary>One row of the issue stream: the issue, its project, its short id and its event counts per bucket of the period.</summary>
internal sealed record IssueStreamRow(IssueRecord Issue, ProjectRecord Project, string ShortId, IReadOnlyList<(long Start, long Count)> Buckets);
