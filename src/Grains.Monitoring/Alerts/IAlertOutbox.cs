namespace Grains.Monitoring.Alerts;

/// <summary>
/// The durable outbox of alert firings. The issue grain records a batch's firings before the batch's
/// commit (its events, and its state with the applied stream offset): a crash in between redelivers the
/// batch from the same stored state, which records the same firings again, and the outbox keeps one of
/// each. So no applied event's firing is lost, and a firing's event is stored once its batch committed.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Records the firings durably (in one transaction), ignoring any whose <see cref="AlertFiring.Id"/>
    /// is already recorded, and makes sure they will be delivered (wakes the deliverer of their projects).
    /// </summary>
    Task RecordAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default);
}
