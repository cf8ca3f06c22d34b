using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> in the <c>alert_firings</c> and <c>alert_deliveries</c> tables, over a
/// backend's <see cref="StoreCommands"/>. A batch of firings, and an expansion, is one transaction; rows
/// are written in id order, so two writers of overlapping batches (a redelivery racing the original)
/// lock rows in one order.
/// </summary>
public abstract class RelationalAlertDeliveryStore : IAlertDeliveryStore
{
    private readonly StoreCommands _commands;

    protected RelationalAlertDeliveryStore(StoreCommands commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
    }

    /// <inheritdoc />
    public async Task<int> RecordAsync(IReadOnlyList<AlertFiring> firings, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firings);
        var statements = AlertOutboxSql.Firings(firings, recordedAt).ToArray();
        return (await _commands.WriteAsync("alerts.record", statements, guarded: false, cancellationToken).ConfigureAwait(false)).Sum();
    }

    /// <inheritdoc />
    public Task<AlertFiring?> GetFiringAsync(string firingId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(AlertOutboxSql.SelectFiring, [("@id", firingId)]), AlertOutboxSql.ReadFiring, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertFiring>> UnexpandedAsync(long projectId, int limit, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(AlertOutboxSql.SelectUnexpanded, [("@project_id", projectId), ("@limit", (long)limit)]), AlertOutboxSql.ReadFiring, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task ExpandAsync(string firingId, IReadOnlyList<AlertDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        SqlStatement[] statements =
        [
            .. deliveries.OrderBy(d => d.Id, StringComparer.Ordinal).Select(AlertOutboxSql.Delivery),
            new(AlertOutboxSql.MarkExpanded, [("@id", firingId)]),
        ];
        return _commands.WriteAsync("alerts.expand", statements, guarded: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> DueAsync(long projectId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        DeliveriesAsync(new(AlertOutboxSql.SelectDue, [("@project_id", projectId), ("@now", StoreTime.ToMicroseconds(now)), ("@limit", (long)limit)]), cancellationToken);

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextDueAsync(long projectId, CancellationToken cancellationToken = default) =>
        await _commands.ScalarAsync(new(AlertOutboxSql.SelectNextDue, [("@project_id", projectId)]), cancellationToken).ConfigureAwait(false) is long next
            ? StoreTime.FromMicroseconds(next)
            : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ProjectsDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(AlertOutboxSql.SelectProjectsDue, [("@now", StoreTime.ToMicroseconds(now)), ("@limit", (long)limit)]), static r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task UpdateAsync(AlertDeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _commands.ExecuteAsync("alerts.update", AlertOutboxSql.Updated(update), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AlertDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(AlertOutboxSql.SelectDelivery, [("@id", deliveryId)]), AlertOutboxSql.ReadDelivery, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> ListAsync(long projectId, AlertDeliveryStatus? status, int limit, CancellationToken cancellationToken = default) =>
        DeliveriesAsync(status is { } s
            ? new(AlertOutboxSql.SelectProjectDeliveriesByStatus, [("@project_id", projectId), ("@status", AlertOutboxSql.Status(s)), ("@limit", (long)limit)])
            : new(AlertOutboxSql.SelectProjectDeliveries, [("@project_id", projectId), ("@limit", (long)limit)]), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RetryAsync(long projectId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await _commands.ExecuteAsync("alerts.retry", new(AlertOutboxSql.Retry, [("@id", deliveryId), ("@project_id", projectId), ("@now", StoreTime.ToMicroseconds(now))]), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        (string, object)[] parameters = [("@cutoff", StoreTime.ToMicroseconds(cutoff))];
        SqlStatement[] statements = [new(AlertOutboxSql.PruneDeliveries, parameters), new(AlertOutboxSql.PruneFirings, parameters)];
        return (await _commands.WriteAsync("alerts.prune", statements, guarded: false, cancellationToken).ConfigureAwait(false)).Sum();
    }

    private async Task<IReadOnlyList<AlertDelivery>> DeliveriesAsync(SqlStatement statement, CancellationToken cancellationToken) =>
        await _commands.QueryAsync(statement, AlertOutboxSql.ReadDelivery, cancellationToken).ConfigureAwait(false);
}
