using Grains.Postgres;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;

namespace Grains.Streaming.Postgres;

/// <summary>
/// <see cref="IDurableLogDeadLetterStore"/> in the <c>grains_dead_letters</c> table of a
/// <see cref="PostgresDatabase"/>: one row per item, with its stream, offset, payload and error, all
/// items of one failure in one statement. A set-aside completes (and returns <c>true</c>) only after
/// it committed, so the partition's checkpoint never passes an item that is not durable somewhere.
/// </summary>
/// <remarks>
/// An item set aside twice (by two silos owning its queue during a hand-over, or again after a
/// crash) keeps its first row: rows are unique per provider, partition and offset.
/// </remarks>
public sealed class PostgresDeadLetterStore : IDurableLogDeadLetterStore
{
    private const string InsertItems = """
        INSERT INTO grains_dead_letters (provider, partition_id, stream_namespace, stream_key, subscription_id, log_offset, payload, error, failed_at)
        SELECT $1, $2, $3, $4, $5, i.log_offset, i.payload, $8, $9
        FROM unnest($6::bigint[], $7::bytea[]) AS i(log_offset, payload)
        ON CONFLICT (provider, partition_id, log_offset) DO NOTHING
        """;

    private const string SelectItems = """
        SELECT id, provider, partition_id, stream_namespace, stream_key, subscription_id, log_offset, payload, error, failed_at
        FROM grains_dead_letters WHERE provider = $1 AND id > $2 ORDER BY id LIMIT $3
        """;

    private readonly PostgresDatabase _database;
    private readonly PostgresDurableLogSchemaGate _schema;

    /// <summary>Creates the store over <paramref name="database"/> (which it does not own); its table is migrated before its first operation.</summary>
    public PostgresDeadLetterStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresDurableLogSchemaGate.For(database);
    }

    /// <inheritdoc />
    public async Task<bool> SetAsideAsync(DurableLogDeliveryFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentException.ThrowIfNullOrEmpty(failure.ProviderName, nameof(failure));
        ArgumentOutOfRangeException.ThrowIfNegative(failure.Partition, nameof(failure));
        var offsets = failure.Container is { } container ? container.Offsets : [failure.Offset];
        var payloads = failure.Container?.Payloads ?? new byte[]?[offsets.Length];
        var row = (failure, Namespace: StreamText.Namespace(failure.Stream), Key: StreamText.Key(failure.Stream, nameof(failure)), offsets, payloads);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _database.ExecuteAsync("log.dead_letter", row, static async (connection, row, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(InsertItems, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.failure.ProviderName });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.failure.Partition });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Namespace });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Key });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.failure.SubscriptionId });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = row.offsets, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = row.payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.failure.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.failure.FailedAt.ToUniversalTime() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads up to <paramref name="maxCount"/> items set aside by <paramref name="providerName"/> with an id above <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DurableLogDeadLetter>> ReadAsync(string providerName, long afterId, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ExecuteAsync("log.dead_letter.read", (providerName, afterId, maxCount), static async (connection, query, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(SelectItems, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.providerName });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.afterId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.maxCount });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var items = new List<DurableLogDeadLetter>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new DurableLogDeadLetter(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    StreamId.Create(reader.GetString(3), reader.GetString(4)),
                    reader.GetGuid(5),
                    reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetFieldValue<DateTimeOffset>(9)));
            }

            return (IReadOnlyList<DurableLogDeadLetter>)items;
        }, cancellationToken).ConfigureAwait(false);
    }
}
