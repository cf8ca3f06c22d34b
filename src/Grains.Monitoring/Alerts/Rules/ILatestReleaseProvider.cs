using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The project's release order for the latest-release filter, read by the issue grain before it
/// evaluates a batch (only when one of the project's rules has that filter), so the evaluator itself
/// stays free of I/O. Optional: without one, the filter never holds.
/// </summary>
public interface ILatestReleaseProvider
{
    /// <summary>The project's releases as stored so far (a batch's own new releases are not among them yet).</summary>
    ValueTask<ReleaseOrder> ReleaseOrderAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest release as of an event from <paramref name="eventRelease"/>: a release the project has
    /// not stored yet is the newest (its first event is being applied; Sentry creates the release before
    /// alerting), else the greatest stored one (semver when the project follows it, else first seen last).
    /// </summary>
    static string? LatestAsOf(ReleaseOrder order, string? eventRelease)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (string.IsNullOrEmpty(eventRelease))
        {
            return order.Greatest;
        }

        return order.Greatest is not { } greatest || order.Compare(eventRelease, greatest) > 0 ? eventRelease : greatest;
    }
}
