using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The latest release from the releases the workflow records from events: the greatest by semver when
/// the project's releases follow semver, else the one first seen last (<see cref="ReleaseOrder"/>, as
/// Sentry picks it). Read once per batch, and only for a project with a latest-release filter.
/// </summary>
public sealed class WorkflowLatestReleaseProvider(IWorkflowStore? store) : ILatestReleaseProvider
{
    /// <inheritdoc />
    public async ValueTask<string?> LatestReleaseAsync(long projectId, CancellationToken cancellationToken = default)
    {
        if (store is null)
        {
            return null;
        }

        var releases = await store.GetProjectReleasesAsync(projectId, cancellationToken).ConfigureAwait(false);
        return releases.Count == 0 ? null : new ReleaseOrder(releases).Greatest;
    }
}
