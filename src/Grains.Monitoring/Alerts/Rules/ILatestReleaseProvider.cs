namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The project's latest release for the latest-release filter, read by the issue grain before it
/// evaluates a batch (only when one of the project's rules has that filter), so the evaluator itself
/// stays free of I/O. Optional: without one, the filter never holds (as in Sentry for a project
/// without releases).
/// </summary>
public interface ILatestReleaseProvider
{
    ValueTask<string?> LatestReleaseAsync(long projectId, CancellationToken cancellationToken = default);
}
