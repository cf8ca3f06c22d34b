using Orleans.Concurrency;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// The one deliverer of a project's alert firings in the cluster (key: project id). Orleans keeps one
/// activation per key, so a project's deliveries are sent by one worker at a time and none twice.
/// </summary>
[Alias("Grains.Monitoring.Alerts.IAlertDelivererGrain")]
public interface IAlertDelivererGrain : IGrainWithIntegerKey
{
    /// <summary>Makes the deliverer look at the outbox (new firings, due deliveries) soon; returns at once.</summary>
    [OneWay]
    [Alias("Wake")]
    Task WakeAsync();
}
