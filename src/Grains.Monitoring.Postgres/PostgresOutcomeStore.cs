using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IOutcomeStore"/> in the <c>outcomes_hourly</c> and <c>outcome_batches</c> tables of a
/// shared <see cref="PostgresDatabase"/>, with the statements of the SQLite store. A batch is one
/// transaction: its id, then its counts in key order (silos flushing the same hours lock rows in
/// one order and do not deadlock).
/// </summary>
public sealed class PostgresOutcomeStore : IOutcomeStore
{
    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresOutcomeStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<bool> WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var rows = OutcomeSql.InKeyOrder(batch.Rows);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(OutcomeSql.InsertBatch, connection, transaction))
        {
            insert.Parameters.With("@batch_id", batch.Id.ToString("N")).With("@written", StoreTime.ToMicroseconds(now));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        await using var adds = new NpgsqlBatch(connection, transaction);
        foreach (var row in rows)
        {
            var add = new NpgsqlBatchCommand(OutcomeSql.AddCounts);
            add.Parameters
                .With("@organization_id", row.OrganizationId)
                .With("@hour_start", row.HourStart)
                .With("@project_id", row.ProjectId)
                .With("@category", row.Category)
                .With("@outcome", (long)row.Outcome)
                .With("@reason", row.Reason ?? "")
                .With("@key_id", row.PublicKey ?? "")
                .With("@quantity", row.Quantity)
                .With("@times_seen", row.TimesSeen);
            adds.BatchCommands.Add(add);
        }

        var prune = new NpgsqlBatchCommand(OutcomeSql.PruneBatches);
        prune.Parameters.With("@cutoff", StoreTime.ToMicroseconds(now - OutcomeSql.BatchIdRetention));
        adds.BatchCommands.Add(prune);
        await adds.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutcomeRow>> ReadAsync(long? organizationId, long fromHour, long toHour, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(organizationId is null ? OutcomeSql.SelectAll : OutcomeSql.SelectOrganization);
        if (organizationId is { } organization)
        {
            command.Parameters.With("@organization_id", organization);
        }

        command.Parameters.With("@from", fromHour).With("@to", toHour);
        var rows = new List<OutcomeRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(OutcomeSql.Read(reader));
        }

        return rows;
    }
}
