using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> in the <c>alert_firings</c> and <c>alert_deliveries</c> tables of a
/// shared <see cref="PostgresDatabase"/>, with the statements of the SQLite store. A batch of firings,
/// and an expansion, is one transaction.
/// </summary>
public sealed class PostgresAlertDeliveryStore : IAlertDeliveryStore
{
    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresAlertDeliveryStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
    }

    /// <inheritdoc />
    public async Task<int> RecordAsync(IReadOnlyList<AlertFiring> firings, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firings);
        if (firings.Count == 0)
        {
            return 0;
        }

        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = 0;

        // In id order, so two writers of overlapping batches (a redelivery racing the original) lock rows in one order.
        foreach (var firing in firings.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            await using var insert = new NpgsqlCommand(AlertOutboxSql.InsertFiring, connection, transaction);
            insert.Parameters
                .With("@id", firing.Id)
                .With("@project_id", firing.ProjectId)
                .With("@issue_id", firing.IssueId)
                .With("@rule_id", firing.RuleId)
                .With("@rule_label", firing.RuleLabel)
                .With("@event_id", firing.EventId)
                .With("@fired_at", StoreTime.ToMicroseconds(firing.FiredAt))
                .With("@actions_json", firing.ActionsJson)
                .With("@reasons_json", AlertOutboxSql.ReasonsJson(firing.Reasons))
                .With("@recorded", StoreTime.ToMicroseconds(recordedAt));
            inserted += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <inheritdoc />
    public async Task<AlertFiring?> GetFiringAsync(string firingId, CancellationToken cancellationToken = default)
    {
        var firings = await ReadFiringsAsync(AlertOutboxSql.SelectFiring, p => p.With("@id", firingId), cancellationToken).ConfigureAwait(false);
        return firings.Count == 0 ? null : firings[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertFiring>> UnexpandedAsync(long projectId, int limit, CancellationToken cancellationToken = default) =>
        ReadFiringsAsync(AlertOutboxSql.SelectUnexpanded, p => p.With("@project_id", projectId).With("@limit", (long)limit), cancellationToken);

    /// <inheritdoc />
    public async Task ExpandAsync(string firingId, IReadOnlyList<AlertDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var delivery in deliveries.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var insert = new NpgsqlBatchCommand(AlertOutboxSql.InsertDelivery);
            insert.Parameters
                .With("@id", delivery.Id)
                .With("@firing_id", delivery.FiringId)
                .With("@project_id", delivery.ProjectId)
                .With("@kind", delivery.Kind)
                .With("@target", delivery.Target)
                .With("@status", AlertOutboxSql.Status(delivery.Status))
                .With("@attempts", (long)delivery.Attempts)
                .With("@next_attempt", StoreTime.ToMicroseconds(delivery.NextAttemptAt))
                .With("@fired_at", StoreTime.ToMicroseconds(delivery.FiredAt))
                .With("@created", StoreTime.ToMicroseconds(delivery.CreatedAt));
            batch.BatchCommands.Add(insert);
        }

        var mark = new NpgsqlBatchCommand(AlertOutboxSql.MarkExpanded);
        mark.Parameters.With("@id", firingId);
        batch.BatchCommands.Add(mark);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> DueAsync(long projectId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        ReadDeliveriesAsync(AlertOutboxSql.SelectDue, p => p.With("@project_id", projectId).With("@now", StoreTime.ToMicroseconds(now)).With("@limit", (long)limit), cancellationToken);

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextDueAsync(long projectId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(AlertOutboxSql.SelectNextDue);
        command.Parameters.With("@project_id", projectId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long next ? StoreTime.FromMicroseconds(next) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ProjectsDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(AlertOutboxSql.SelectProjectsDue);
        command.Parameters.With("@now", StoreTime.ToMicroseconds(now)).With("@limit", (long)limit);
        var projects = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            projects.Add(reader.GetInt64(0));
        }

        return projects;
    }

    /// <inheritdoc />
    public async Task UpdateAsync(AlertDeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(AlertOutboxSql.Update);
        command.Parameters
            .With("@id", update.Id)
            .With("@status", AlertOutboxSql.Status(update.Status))
            .With("@attempts", (long)update.Attempts)
            .With("@next_attempt", StoreTime.ToMicroseconds(update.NextAttemptAt))
            .WithText("@last_error", update.LastError)
            .WithInt64("@last_status", update.LastStatusCode)
            .WithInt64("@delivered", update.DeliveredAt is { } at ? StoreTime.ToMicroseconds(at) : null);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AlertDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        var deliveries = await ReadDeliveriesAsync(AlertOutboxSql.SelectDelivery, p => p.With("@id", deliveryId), cancellationToken).ConfigureAwait(false);
        return deliveries.Count == 0 ? null : deliveries[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> ListAsync(long projectId, AlertDeliveryStatus? status, int limit, CancellationToken cancellationToken = default) =>
        status is { } s
            ? ReadDeliveriesAsync(AlertOutboxSql.SelectProjectDeliveriesByStatus, p => p.With("@project_id", projectId).With("@status", AlertOutboxSql.Status(s)).With("@limit", (long)limit), cancellationToken)
            : ReadDeliveriesAsync(AlertOutboxSql.SelectProjectDeliveries, p => p.With("@project_id", projectId).With("@limit", (long)limit), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> RetryAsync(long projectId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(AlertOutboxSql.Retry);
        command.Parameters.With("@id", deliveryId).With("@project_id", projectId).With("@now", StoreTime.ToMicroseconds(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _database.DataSource.CreateBatch();
        foreach (var sql in (ReadOnlySpan<string>)[AlertOutboxSql.PruneDeliveries, AlertOutboxSql.PruneFirings])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.With("@cutoff", StoreTime.ToMicroseconds(cutoff));
            batch.BatchCommands.Add(command);
        }

        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<AlertFiring>> ReadFiringsAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        var firings = new List<AlertFiring>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            firings.Add(AlertOutboxSql.ReadFiring(reader));
        }

        return firings;
    }

    private async Task<IReadOnlyList<AlertDelivery>> ReadDeliveriesAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        var deliveries = new List<AlertDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deliveries.Add(AlertOutboxSql.ReadDelivery(reader));
        }

        return deliveries;
    }
}
