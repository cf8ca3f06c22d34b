using Grains.Runtime.Streams;
using Grains.Sqlite;

namespace Grains.Runtime.Sqlite;

/// <summary>
/// <see cref="IStreamLog"/> in the <c>grains_stream</c> and <c>grains_checkpoints</c> tables of a
/// <see cref="SqliteDatabase"/>. Offsets are one auto-increment sequence for the whole log, assigned
/// by the single writer in commit order, so within a partition they strictly increase and become
/// visible in offset order.
/// </summary>
/// <remarks>
/// A checkpoint never moves backwards (a lower value is ignored). With
/// <see cref="SqliteStorageOptions.TrimStreamOnCheckpoint"/> setting it deletes the partition's records at or below it.
/// Times are stored with microsecond precision.
/// </remarks>
public sealed class SqliteStreamLog : IStreamLog
{
    private const string InsertRecord = """
        INSERT INTO grains_stream (partition_id, stream_namespace, stream_key, payload, appended_at)
        VALUES (@partition_id, @stream_namespace, @stream_key, @payload, @appended_at)
        """;

    private const string SelectRecords = """
        SELECT stream_offset, stream_namespace, stream_key, payload, appended_at FROM grains_stream
        WHERE partition_id = @partition_id AND stream_offset > @after_offset
        ORDER BY stream_offset
        LIMIT @max_count
        """;

    private const string SelectCheckpoint = "SELECT checkpoint_offset FROM grains_checkpoints WHERE partition_id = @partition_id";

    // MAX(a, b) is SQLite's two-argument form; PostgreSQL spells it GREATEST(a, b).
    private const string UpsertCheckpoint = """
        INSERT INTO grains_checkpoints (partition_id, checkpoint_offset, updated_at) VALUES (@partition_id, @checkpoint_offset, @updated_at)
        ON CONFLICT (partition_id) DO UPDATE SET
            checkpoint_offset = MAX(grains_checkpoints.checkpoint_offset, excluded.checkpoint_offset),
            updated_at = excluded.updated_at
        RETURNING checkpoint_offset
        """;

    private const string TrimRecords = "DELETE FROM grains_stream WHERE partition_id = @partition_id AND stream_offset <= @checkpoint_offset";

    private readonly SqliteDatabase _database;

    /// <summary>Creates the provider over <paramref name="database"/> (which it does not own).</summary>
    public SqliteStreamLog(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<StreamRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Validated and copied now: a bad record fails the call before anything is queued, and the
        // caller may reuse its buffers as soon as this returns.
        var copies = new (int Partition, string Namespace, string Key, byte[] Payload)[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ArgumentOutOfRangeException.ThrowIfNegative(record.Partition, nameof(records));
            ArgumentNullException.ThrowIfNull(record.Stream.Namespace, nameof(records));
            ArgumentNullException.ThrowIfNull(record.Stream.Key, nameof(records));
            copies[i] = (record.Partition, record.Stream.Namespace, record.Stream.Key, record.Payload.ToArray());
        }

        return _database.EnqueueAsync(new AppendOperation(copies), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredStreamRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((partition, afterOffset, maxCount), static (commands, query) =>
        {
            var command = commands.Get(SelectRecords);
            command.Parameters.AddWithValue("@partition_id", query.partition);
            command.Parameters.AddWithValue("@after_offset", query.afterOffset);
            command.Parameters.AddWithValue("@max_count", query.maxCount);
            using var reader = command.ExecuteReader();
            var records = new List<StoredStreamRecord>();
            while (reader.Read())
            {
                records.Add(new StoredStreamRecord(
                    reader.GetInt64(0),
                    new StreamId(reader.GetString(1), reader.GetString(2)),
                    reader.GetFieldValue<byte[]>(3),
                    SqliteTime.FromMicroseconds(reader.GetInt64(4))));
            }

            return (IReadOnlyList<StoredStreamRecord>)records;
        }));
    }

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(partition, static (commands, partition) =>
        {
            var command = commands.Get(SelectCheckpoint);
            command.Parameters.AddWithValue("@partition_id", partition);
            return command.ExecuteScalar() is long offset ? offset : 0L;
        }));
    }

    /// <inheritdoc />
    public Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return _database.EnqueueAsync(new CheckpointOperation(partition, offset), cancellationToken);
    }

    private sealed class AppendOperation((int Partition, string Namespace, string Key, byte[] Payload)[] records) : SqliteWriteOperation<bool>
    {
        public override string Kind => "stream.append";

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var appendedAt = SqliteTime.ToMicroseconds(context.Now);
            foreach (var (partition, streamNamespace, key, payload) in records)
            {
                var command = context.Commands.Get(InsertRecord);
                command.Parameters.AddWithValue("@partition_id", partition);
                command.Parameters.AddWithValue("@stream_namespace", streamNamespace);
                command.Parameters.AddWithValue("@stream_key", key);
                command.Parameters.AddWithValue("@payload", payload);
                command.Parameters.AddWithValue("@appended_at", appendedAt);
                command.ExecuteNonQuery();
            }

            return true;
        }
    }

    private sealed class CheckpointOperation(int partition, long offset) : SqliteWriteOperation<bool>
    {
        public override string Kind => "stream.checkpoint";

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var upsert = context.Commands.Get(UpsertCheckpoint);
            upsert.Parameters.AddWithValue("@partition_id", partition);
            upsert.Parameters.AddWithValue("@checkpoint_offset", offset);
            upsert.Parameters.AddWithValue("@updated_at", SqliteTime.ToMicroseconds(context.Now));
            var checkpoint = (long)upsert.ExecuteScalar()!;
            if (context.TrimStreamOnCheckpoint)
            {
                var trim = context.Commands.Get(TrimRecords);
                trim.Parameters.AddWithValue("@partition_id", partition);
                trim.Parameters.AddWithValue("@checkpoint_offset", checkpoint);
                trim.ExecuteNonQuery();
            }

            return true;
        }
    }
}
