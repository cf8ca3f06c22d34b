namespace Grains.Monitoring.Alerts;

/// <summary>
/// The durable outbox of alert firings. The issue grain writes a batch's firings in the batch's own commit
/// (<c>IssueBatchWrite.Firings</c>, with its events and its state with the applied stream offset) and then
/// calls <see cref="CommittedAsync"/>: a firing is stored exactly when its event and the state that decided it
/// are, so no applied event's firing is lost and no firing is delivered before its event is stored
/// (docs/decisions/0009-alerts-exactly-once.md). <see cref="RecordAsync"/> records firings on their own.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Records the firings durably (in one transaction), ignoring any whose <see cref="AlertFiring.Id"/>
    /// is already recorded, and makes sure they will be delivered (wakes the deliverer of their projects).
    /// </summary>
    Task RecordAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts firings an issue batch has just committed and wakes their projects' deliverers. A crash before
    /// this call delays them only until the delivery sweep finds them unexpanded.
    /// </summary>
    Task CommittedAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default);
}
