namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// The outbox's tables: firings as the issue grain records them, and their deliveries (one per
/// firing and destination) with their attempt state. Implemented on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// A firing is recorded first and expanded into deliveries later, by the project's deliverer, which
/// reads the project's destinations then: the issue grain's turn only inserts rows. Expanding inserts
/// the deliveries (ids derived from the firing and destination, so a repeat inserts nothing) and
/// marks the firing expanded in one transaction.
/// </remarks>
public interface IAlertDeliveryStore
{
    /// <summary>Inserts the firings not yet recorded (by id) in one transaction; returns how many were new.</summary>
    Task<int> RecordAsync(IReadOnlyList<AlertFiring> firings, DateTimeOffset recordedAt, CancellationToken cancellationToken = default);

    /// <summary>A recorded firing, or null.</summary>
    Task<AlertFiring?> GetFiringAsync(string firingId, CancellationToken cancellationToken = default);

    /// <summary>The project's firings not yet expanded into deliveries, oldest first.</summary>
    Task<IReadOnlyList<AlertFiring>> UnexpandedAsync(long projectId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Inserts <paramref name="deliveries"/> (skipping ids already present) and marks the firing expanded, in one transaction.</summary>
    Task ExpandAsync(string firingId, IReadOnlyList<AlertDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>The project's pending deliveries due at <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<AlertDelivery>> DueAsync(long projectId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest next attempt among the project's pending deliveries, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>Projects with a pending delivery due at <paramref name="now"/> or a firing not yet expanded.</summary>
    Task<IReadOnlyList<long>> ProjectsDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Writes an attempt's outcome.</summary>
    Task UpdateAsync(AlertDeliveryUpdate update, CancellationToken cancellationToken = default);

    /// <summary>One delivery, or null.</summary>
    Task<AlertDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The project's deliveries (optionally of one status), newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> ListAsync(long projectId, AlertDeliveryStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead delivery of the project pending again with no attempts, due at <paramref name="now"/>; false when it is not dead (or not the project's).</summary>
    Task<bool> RetryAsync(long projectId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes deliveries delivered before <paramref name="cutoff"/> and expanded firings recorded before it that have no delivery left; returns the rows deleted.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
