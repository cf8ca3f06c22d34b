using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IWorkflowStore"/> (releases, issue activities, due times) over a backend's <see cref="StoreCommands"/>:
/// a turn's write is one transaction, its releases in key order so that concurrent writers lock rows in one order.
/// </summary>
public abstract class RelationalWorkflowStore : IWorkflowStore
{
    private readonly StoreCommands _commands;

    protected RelationalWorkflowStore(StoreCommands commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
    }

    /// <inheritdoc />
    public async Task SaveAsync(WorkflowWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _commands.WriteAsync("workflow.save", WorkflowSql.Statements(write, _commands.Dialect), guarded: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProjectRelease>> GetProjectReleasesAsync(long projectId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(WorkflowSql.SelectProjectReleases, [("@project_id", projectId)]), WorkflowSql.ProjectRelease, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReleaseRow>> ListReleasesAsync(long organizationId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(WorkflowSql.SelectReleases, [("@organization_id", organizationId)]), WorkflowSql.Release, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long ProjectId, string Version, long Count)>> CountNewGroupsAsync(long organizationId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(WorkflowSql.CountNewGroups, [("@organization_id", organizationId)]),
            static r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<IssueActivity>> GetActivitiesAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(WorkflowSql.SelectActivities, [("@issue_id", issueId)]), WorkflowSql.Activity, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(WorkflowSql.SelectDue, [("@now", StoreTime.ToMicroseconds(now)), ("@limit", (long)limit)]),
            static r => r.GetString(0), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DeleteIssueAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.WriteAsync("workflow.delete",
            [new(WorkflowSql.DeleteActivities, [("@issue_id", issueId)]), new(WorkflowSql.DeleteDue, [("@issue_id", issueId)])],
            guarded: false, cancellationToken).ConfigureAwait(false);
}
