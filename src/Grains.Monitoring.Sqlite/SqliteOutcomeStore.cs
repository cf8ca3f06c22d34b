using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IOutcomeStore"/> in the <c>outcomes_hourly</c> and <c>outcome_batches</c> tables of the
/// shared <see cref="SqliteDatabase"/> (monitoring schema version 3). A batch is one operation on the
/// writer (its own savepoint): its id and its counts commit together or not at all.
/// </summary>
public sealed class SqliteOutcomeStore : IOutcomeStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteOutcomeStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<bool> WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = _time.GetUtcNow();
        var state = (batch.Id, Rows: OutcomeSql.InKeyOrder(batch.Rows), Written: StoreTime.ToMicroseconds(now),
            Cutoff: StoreTime.ToMicroseconds(now - OutcomeSql.BatchIdRetention));
        return _database.WriteAsync("outcomes.write", state, static (connection, s) =>
        {
            var inserted = connection.Prepared(OutcomeSql.InsertBatch)
                .Set("@batch_id", s.Id.ToString("N"))
                .Set("@written", s.Written)
                .ExecuteNonQuery();
            if (inserted == 0)
            {
                return false;
            }

            foreach (var row in s.Rows)
            {
                connection.Prepared(OutcomeSql.AddCounts)
                    .Set("@organization_id", row.OrganizationId)
                    .Set("@hour_start", row.HourStart)
                    .Set("@project_id", row.ProjectId)
                    .Set("@category", row.Category)
                    .Set("@outcome", (long)row.Outcome)
                    .Set("@reason", row.Reason ?? "")
                    .Set("@key_id", row.PublicKey ?? "")
                    .Set("@quantity", row.Quantity)
                    .Set("@times_seen", row.TimesSeen)
                    .ExecuteNonQuery();
            }

            connection.Prepared(OutcomeSql.PruneBatches).Set("@cutoff", s.Cutoff).ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutcomeRow>> ReadAsync(long? organizationId, long fromHour, long toHour, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<OutcomeRow>>(_database.Read((organizationId, fromHour, toHour), static (connection, s) =>
        {
            var command = s.organizationId is { } organization
                ? connection.Prepared(OutcomeSql.SelectOrganization).Set("@organization_id", organization)
                : connection.Prepared(OutcomeSql.SelectAll);
            command.Set("@from", s.fromHour).Set("@to", s.toHour);
            var rows = new List<OutcomeRow>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(OutcomeSql.Read(reader));
            }

            return rows;
        }));
    }
}
