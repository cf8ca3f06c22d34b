namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The legacy notification plugins (services) of a project that are enabled and configured: the
/// choices of <c>NotifyEventServiceAction.service</c>, which Sentry refuses for any other service.
/// The default (<see cref="ProjectOptionAlertServiceDirectory"/>) reads the project options; the
/// delivery side may register its own implementation (registered with <c>TryAdd</c>, so the first wins).
/// </summary>
public interface IAlertServiceDirectory
{
    /// <summary>The slugs of the project's enabled and configured services (e.g. <c>webhooks</c>, <c>slack</c>).</summary>
    ValueTask<IReadOnlyList<string>> EnabledServicesAsync(long projectId, CancellationToken cancellationToken = default);
}
