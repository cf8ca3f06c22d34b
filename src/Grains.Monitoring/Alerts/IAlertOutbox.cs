namespace Grains.Monitoring.Alerts;

/// <summary>
/// The durable outbox of alert firings. The issue grain records a batch's firings after the batch's
/// events are stored and before its state (with the applied stream offset) is written: a crash in
/// between redelivers the batch, which records the same firings again, and the outbox keeps one of
/// each. So there is no firing without its stored event and no applied event whose firing is lost.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Records the firings durably (in one transaction), ignoring any whose <see cref="AlertFiring.Id"/>
    /// is already recorded, and makes sure they will be delivered (wakes the deliverer of their projects).
    /// </summary>
    Task RecordAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default);
}
