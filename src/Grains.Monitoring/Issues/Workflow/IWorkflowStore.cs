using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// The issue workflow's tables: releases seen by events, issue activities, and the due times of timed
/// transitions (SQLite monitoring schema version 6; PostgreSQL likewise).
/// </summary>
public interface IWorkflowStore
{
    /// <summary>Writes a turn's releases, activities and due time in one transaction (idempotent).</summary>
    Task SaveAsync(WorkflowWrite write, CancellationToken cancellationToken = default);

    /// <summary>The releases a project has seen (all environments together).</summary>
    Task<IReadOnlyList<ProjectRelease>> GetProjectReleasesAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>An organization's releases, one row per release, project and environment ('' = all together).</summary>
    Task<IReadOnlyList<ReleaseRow>> ListReleasesAsync(long organizationId, CancellationToken cancellationToken = default);

    /// <summary>Issues per project and first release (Sentry's <c>newGroups</c>, computed when asked rather than counted).</summary>
    Task<IReadOnlyList<(long ProjectId, string Version, long Count)>> CountNewGroupsAsync(long organizationId, CancellationToken cancellationToken = default);

    /// <summary>An issue's activities, newest first.</summary>
    Task<IReadOnlyList<IssueActivity>> GetActivitiesAsync(long issueId, CancellationToken cancellationToken = default);

    /// <summary>Grain keys of issues whose timed transition is due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes an issue's activities and due time.</summary>
    Task DeleteIssueAsync(long issueId, CancellationToken cancellationToken = default);
}
