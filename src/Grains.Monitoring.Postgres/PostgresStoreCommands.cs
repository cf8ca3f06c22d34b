using System.Data.Common;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="StoreCommands"/> over a shared <see cref="PostgresDatabase"/>: each call takes a pooled
/// connection (statements are auto-prepared by their text); several statements go as one
/// <see cref="NpgsqlBatch"/>, one round trip and one implicit transaction. The tables are migrated
/// (by the store's <see cref="PostgresSchemaGate"/> step) before the first statement.
/// </summary>
internal sealed class PostgresStoreCommands : StoreCommands
{
    private readonly PostgresDatabase _database;
    private readonly Func<CancellationToken, Task> _schema;

    private PostgresStoreCommands(PostgresDatabase database, Func<CancellationToken, Task> schema)
    {
        _database = database;
        _schema = schema;
    }

    /// <summary>Commands over the monitoring tables.</summary>
    public static PostgresStoreCommands Monitoring(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new(database, PostgresSchemaGate.For(database).MonitoringAsync);
    }

    /// <summary>Commands over the item tables (and the monitoring tables they join).</summary>
    public static PostgresStoreCommands Items(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new(database, PostgresSchemaGate.For(database).ItemsAsync);
    }

    /// <inheritdoc />
    public override SqlDialect Dialect => SqlDialect.Postgres;

    /// <inheritdoc />
    public override async Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await _schema(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(statement.Sql);
        command.Parameters.Bind(statement);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <inheritdoc />
    public override async Task<object?> ScalarAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await _schema(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(statement.Sql);
        command.Parameters.Bind(statement);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <inheritdoc />
    public override async Task ReadEachAsync(IReadOnlyList<SqlStatement> statements, Action<int, DbDataReader> row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(row);
        if (statements.Count == 0)
        {
            return;
        }

        await _schema(cancellationToken).ConfigureAwait(false);
        await using var batch = _database.DataSource.CreateBatch();
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            command.Parameters.Bind(statement);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var index = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row(index, reader);
            }

            index++;
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public override Task<object?> WriteScalarAsync(string kind, SqlStatement statement, CancellationToken cancellationToken) =>
        ScalarAsync(statement, cancellationToken);

    /// <inheritdoc />
    public override Task<List<T>> WriteQueryAsync<T>(string kind, SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        QueryAsync(statement, map, cancellationToken);

    /// <inheritdoc />
    public override async Task<int[]> WriteAsync(string kind, IReadOnlyList<SqlStatement> statements, bool guarded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count == 0)
        {
            return [];
        }

        await _schema(cancellationToken).ConfigureAwait(false);
        var counts = new int[statements.Count];
        if (statements.Count == 1)
        {
            await using var command = _database.DataSource.CreateCommand(statements[0].Sql);
            command.Parameters.Bind(statements[0]);
            counts[0] = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return counts;
        }

        if (!guarded)
        {
            // One batch is one implicit transaction: every statement, or none.
            await using var batch = _database.DataSource.CreateBatch();
            await RunAsync(batch, statements, 0, counts, cancellationToken).ConfigureAwait(false);
            return counts;
        }

        // The guard decides whether the rest runs, so it goes first on its own, inside the transaction.
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var guard = new NpgsqlCommand(statements[0].Sql, connection, transaction))
        {
            guard.Parameters.Bind(statements[0]);
            counts[0] = await guard.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (counts[0] == 0)
            {
                return counts;
            }
        }

        await using (var rest = new NpgsqlBatch(connection, transaction))
        {
            await RunAsync(rest, statements, 1, counts, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    /// <inheritdoc />
    public override bool IsUniqueViolation(Exception exception) => exception is PostgresException postgres && postgres.IsUniqueViolation();

    private static async Task RunAsync(NpgsqlBatch batch, IReadOnlyList<SqlStatement> statements, int first, int[] counts, CancellationToken cancellationToken)
    {
        for (var i = first; i < statements.Count; i++)
        {
            var command = new NpgsqlBatchCommand(statements[i].Sql);
            command.Parameters.Bind(statements[i]);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        for (var i = first; i < statements.Count; i++)
        {
            counts[i] = batch.BatchCommands[i - first].RecordsAffected;
        }
    }
}
