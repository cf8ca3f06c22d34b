using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The release order from the releases the workflow records from events (<see cref="ReleaseOrder"/>:
/// semver when the project's releases follow it, else first seen). Read once per batch, and only for a
/// project with a latest-release filter.
/// </summary>
public sealed class WorkflowLatestReleaseProvider(IWorkflowStore? store) : ILatestReleaseProvider
{
    /// <inheritdoc />
    public async ValueTask<ReleaseOrder> ReleaseOrderAsync(long projectId, CancellationToken cancellationToken = default) =>
        new(store is null ? [] : await store.GetProjectReleasesAsync(projectId, cancellationToken).ConfigureAwait(false));
}
