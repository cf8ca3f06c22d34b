using System.Globalization;
using Grains.Sqlite;
using Orleans.Runtime;

namespace Grains.Streaming.Sqlite;

/// <summary>
/// <see cref="IDurableLogDeadLetterStore"/> in the <c>grains_dead_letters</c> table of the shared
/// <see cref="SqliteDatabase"/>: one row per item, with its stream, offset, payload and error. A
/// set-aside completes (and returns <c>true</c>) only after its transaction committed, so the
/// partition's checkpoint never passes an item that is not durable somewhere.
/// </summary>
/// <remarks>
/// An item set aside twice (delivered again after a crash, say) keeps its first row: rows are unique
/// per provider, partition and offset.
/// </remarks>
public sealed class SqliteDeadLetterStore : IDurableLogDeadLetterStore
{
    private const string InsertItem = """
        INSERT INTO grains_dead_letters (provider, partition_id, stream_namespace, stream_key, subscription_id, log_offset, payload, error, failed_at)
        VALUES (@provider, @partition_id, @stream_namespace, @stream_key, @subscription_id, @log_offset, @payload, @error, @failed_at)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectItems = """
        SELECT id, provider, partition_id, stream_namespace, stream_key, subscription_id, log_offset, payload, error, failed_at
        FROM grains_dead_letters WHERE provider = @provider AND id > @after_id ORDER BY id LIMIT @max_count
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (which it does not own) and brings its table to the newest schema.</summary>
    public SqliteDeadLetterStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(SqliteDurableLogSchema.Component, SqliteDurableLogSchema.Migrations);
    }

    /// <inheritdoc />
    public async Task<bool> SetAsideAsync(DurableLogDeliveryFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentException.ThrowIfNullOrEmpty(failure.ProviderName, nameof(failure));
        ArgumentOutOfRangeException.ThrowIfNegative(failure.Partition, nameof(failure));
        var row = new Row(
            failure.ProviderName,
            failure.Partition,
            StreamText.Namespace(failure.Stream),
            StreamText.Key(failure.Stream, nameof(failure)),
            failure.SubscriptionId.ToString("D", CultureInfo.InvariantCulture),
            failure.Container is { } container ? container.Offsets : [failure.Offset],
            failure.Container?.Payloads,
            failure.Error,
            SqliteTime.ToMicroseconds(failure.FailedAt));
        await _database.WriteAsync("log.dead_letter", row, static (connection, row) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = InsertItem;
            var offset = command.Parameters.Add("@log_offset", Microsoft.Data.Sqlite.SqliteType.Integer);
            var payload = command.Parameters.Add("@payload", Microsoft.Data.Sqlite.SqliteType.Blob);
            command.Parameters.AddWithValue("@provider", row.Provider);
            command.Parameters.AddWithValue("@partition_id", row.Partition);
            command.Parameters.AddWithValue("@stream_namespace", row.Namespace);
            command.Parameters.AddWithValue("@stream_key", row.Key);
            command.Parameters.AddWithValue("@subscription_id", row.SubscriptionId);
            command.Parameters.AddWithValue("@error", (object?)row.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("@failed_at", row.FailedAt);
            for (var i = 0; i < row.Offsets.Length; i++)
            {
                offset.Value = row.Offsets[i];
                payload.Value = (object?)row.Payloads?[i] ?? DBNull.Value;
                command.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads up to <paramref name="maxCount"/> items set aside by <paramref name="providerName"/> with an id above <paramref name="afterId"/>, oldest first.</summary>
    public Task<IReadOnlyList<DurableLogDeadLetter>> ReadAsync(string providerName, long afterId, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((providerName, afterId, maxCount), static (connection, query) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SelectItems;
            command.Parameters.AddWithValue("@provider", query.providerName);
            command.Parameters.AddWithValue("@after_id", query.afterId);
            command.Parameters.AddWithValue("@max_count", query.maxCount);
            using var reader = command.ExecuteReader();
            var items = new List<DurableLogDeadLetter>();
            while (reader.Read())
            {
                items.Add(new DurableLogDeadLetter(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    StreamId.Create(reader.GetString(3), reader.GetString(4)),
                    Guid.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                    reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    SqliteTime.FromMicroseconds(reader.GetInt64(9))));
            }

            return (IReadOnlyList<DurableLogDeadLetter>)items;
        }));
    }

    private sealed record Row(string Provider, int Partition, string Namespace, string Key, string SubscriptionId, long[] Offsets, byte[][]? Payloads, string? Error, long FailedAt);
}
