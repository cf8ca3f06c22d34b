using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> in the <c>alert_firings</c> and <c>alert_deliveries</c> tables of the
/// shared <see cref="SqliteDatabase"/> (monitoring schema version 9). Each write is one operation on
/// the writer (its own savepoint), so a batch of firings, or an expansion, commits whole or not at all.
/// </summary>
public sealed class SqliteAlertDeliveryStore : IAlertDeliveryStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteAlertDeliveryStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<int> RecordAsync(IReadOnlyList<AlertFiring> firings, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firings);
        if (firings.Count == 0)
        {
            return Task.FromResult(0);
        }

        return _database.WriteAsync("alerts.record", (firings, Recorded: StoreTime.ToMicroseconds(recordedAt)), static (connection, s) =>
        {
            var inserted = 0;
            foreach (var firing in s.firings)
            {
                inserted += connection.Prepared(AlertOutboxSql.InsertFiring)
                    .Set("@id", firing.Id)
                    .Set("@project_id", firing.ProjectId)
                    .Set("@issue_id", firing.IssueId)
                    .Set("@rule_id", firing.RuleId)
                    .Set("@rule_label", firing.RuleLabel)
                    .Set("@event_id", firing.EventId)
                    .Set("@fired_at", StoreTime.ToMicroseconds(firing.FiredAt))
                    .Set("@actions_json", firing.ActionsJson)
                    .Set("@reasons_json", AlertOutboxSql.ReasonsJson(firing.Reasons))
                    .Set("@recorded", s.Recorded)
                    .ExecuteNonQuery();
            }

            return inserted;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AlertFiring?> GetFiringAsync(string firingId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_database.Read(firingId, static (connection, id) =>
        {
            using var reader = connection.Prepared(AlertOutboxSql.SelectFiring).Set("@id", id).ExecuteReader();
            return reader.Read() ? AlertOutboxSql.ReadFiring(reader) : null;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertFiring>> UnexpandedAsync(long projectId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AlertFiring>>(_database.Read((projectId, limit), static (connection, s) =>
        {
            using var reader = connection.Prepared(AlertOutboxSql.SelectUnexpanded).Set("@project_id", s.projectId).Set("@limit", s.limit).ExecuteReader();
            var firings = new List<AlertFiring>();
            while (reader.Read())
            {
                firings.Add(AlertOutboxSql.ReadFiring(reader));
            }

            return firings;
        }));

    /// <inheritdoc />
    public Task ExpandAsync(string firingId, IReadOnlyList<AlertDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return _database.WriteAsync("alerts.expand", (firingId, deliveries), static (connection, s) =>
        {
            foreach (var delivery in s.deliveries)
            {
                connection.Prepared(AlertOutboxSql.InsertDelivery)
                    .Set("@id", delivery.Id)
                    .Set("@firing_id", delivery.FiringId)
                    .Set("@project_id", delivery.ProjectId)
                    .Set("@kind", delivery.Kind)
                    .Set("@target", delivery.Target)
                    .Set("@status", AlertOutboxSql.Status(delivery.Status))
                    .Set("@attempts", (long)delivery.Attempts)
                    .Set("@next_attempt", StoreTime.ToMicroseconds(delivery.NextAttemptAt))
                    .Set("@fired_at", StoreTime.ToMicroseconds(delivery.FiredAt))
                    .Set("@created", StoreTime.ToMicroseconds(delivery.CreatedAt))
                    .ExecuteNonQuery();
            }

            return connection.Prepared(AlertOutboxSql.MarkExpanded).Set("@id", s.firingId).ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> DueAsync(long projectId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadDeliveries(AlertOutboxSql.SelectDue, c => c.Set("@project_id", projectId).Set("@now", StoreTime.ToMicroseconds(now)).Set("@limit", limit)));

    /// <inheritdoc />
    public Task<DateTimeOffset?> NextDueAsync(long projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_database.Read(projectId, static (connection, id) =>
            connection.Prepared(AlertOutboxSql.SelectNextDue).Set("@project_id", id).ExecuteScalar() is long next
                ? StoreTime.FromMicroseconds(next)
                : (DateTimeOffset?)null));

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> ProjectsDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<long>>(_database.Read((Now: StoreTime.ToMicroseconds(now), limit), static (connection, s) =>
        {
            using var reader = connection.Prepared(AlertOutboxSql.SelectProjectsDue).Set("@now", s.Now).Set("@limit", s.limit).ExecuteReader();
            var projects = new List<long>();
            while (reader.Read())
            {
                projects.Add(reader.GetInt64(0));
            }

            return projects;
        }));

    /// <inheritdoc />
    public Task UpdateAsync(AlertDeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _database.WriteAsync("alerts.update", update, static (connection, u) => connection.Prepared(AlertOutboxSql.Update)
            .Set("@id", u.Id)
            .Set("@status", AlertOutboxSql.Status(u.Status))
            .Set("@attempts", (long)u.Attempts)
            .Set("@next_attempt", StoreTime.ToMicroseconds(u.NextAttemptAt))
            .Set("@last_error", u.LastError)
            .Set("@last_status", u.LastStatusCode is { } code ? (long)code : null)
            .Set("@delivered", u.DeliveredAt is { } at ? StoreTime.ToMicroseconds(at) : null)
            .ExecuteNonQuery(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AlertDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadDeliveries(AlertOutboxSql.SelectDelivery, c => c.Set("@id", deliveryId)).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> ListAsync(long projectId, AlertDeliveryStatus? status, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(status is { } s
            ? ReadDeliveries(AlertOutboxSql.SelectProjectDeliveriesByStatus, c => c.Set("@project_id", projectId).Set("@status", AlertOutboxSql.Status(s)).Set("@limit", limit))
            : ReadDeliveries(AlertOutboxSql.SelectProjectDeliveries, c => c.Set("@project_id", projectId).Set("@limit", limit)));

    /// <inheritdoc />
    public Task<bool> RetryAsync(long projectId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("alerts.retry", (projectId, deliveryId, Now: StoreTime.ToMicroseconds(now)), static (connection, s) =>
            connection.Prepared(AlertOutboxSql.Retry).Set("@id", s.deliveryId).Set("@project_id", s.projectId).Set("@now", s.Now).ExecuteNonQuery() == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("alerts.prune", StoreTime.ToMicroseconds(cutoff), static (connection, c) =>
            connection.Prepared(AlertOutboxSql.PruneDeliveries).Set("@cutoff", c).ExecuteNonQuery()
            + connection.Prepared(AlertOutboxSql.PruneFirings).Set("@cutoff", c).ExecuteNonQuery(), cancellationToken);

    private IReadOnlyList<AlertDelivery> ReadDeliveries(string sql, Action<SqliteCommand> bind) =>
        _database.Read((sql, bind), static (connection, s) =>
        {
            var command = connection.Prepared(s.sql);
            s.bind(command);
            using var reader = command.ExecuteReader();
            var deliveries = new List<AlertDelivery>();
            while (reader.Read())
            {
                deliveries.Add(AlertOutboxSql.ReadDelivery(reader));
            }

            return deliveries;
        });
}
