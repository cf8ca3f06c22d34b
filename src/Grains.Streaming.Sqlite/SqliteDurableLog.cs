using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grains.Sqlite;
using Orleans.Runtime;

namespace Grains.Streaming.Sqlite;

/// <summary>
/// <see cref="IDurableLog"/> in the <c>grains_log</c> and <c>grains_log_checkpoints</c> tables of the
/// shared <see cref="SqliteDatabase"/>. Appends join the writer's group-commit transactions, so many
/// producers appending at once cost one fsync; an append completes only after its transaction committed.
/// </summary>
/// <remarks>
/// Offsets are one auto-increment sequence for the whole log, assigned by the single writer in commit
/// order, so within a partition they strictly increase and become visible in offset order: a reader
/// never skips a record that commits later. A checkpoint never moves backwards (SQL <c>MAX</c> of the
/// stored and the new value). With <see cref="SqliteStorageOptions.TrimStreamOnCheckpoint"/> setting it
/// also deletes the partition's records at or below it, in the same transaction. Reads run on a pooled
/// read connection (a WAL snapshot beside the writer). Times are stored with microsecond precision.
/// Ported from the old runtime's <c>SqliteStreamLog</c> (same statements, new table names).
/// </remarks>
public sealed class SqliteDurableLog : IDurableLog, IDurableLogAppendSignal
{
    private const string InsertRecord = """
        INSERT INTO grains_log (partition_id, stream_namespace, stream_key, payload, appended_at, trace_parent, trace_state)
        VALUES (@partition_id, @stream_namespace, @stream_key, @payload, @appended_at, @trace_parent, @trace_state)
        """;

    private const string SelectRecords = """
        SELECT log_offset, stream_namespace, stream_key, payload, appended_at, trace_parent, trace_state FROM grains_log
        WHERE partition_id = @partition_id AND log_offset > @after_offset
        ORDER BY log_offset
        LIMIT @max_count
        """;

    private const string SelectCheckpoint = "SELECT checkpoint_offset FROM grains_log_checkpoints WHERE partition_id = @partition_id";

    // MAX(a, b) is SQLite's two-argument form; PostgreSQL spells it GREATEST(a, b).
    private const string UpsertCheckpoint = """
        INSERT INTO grains_log_checkpoints (partition_id, checkpoint_offset, updated_at) VALUES (@partition_id, @checkpoint_offset, @updated_at)
        ON CONFLICT (partition_id) DO UPDATE SET
            checkpoint_offset = MAX(grains_log_checkpoints.checkpoint_offset, excluded.checkpoint_offset),
            updated_at = excluded.updated_at
        RETURNING checkpoint_offset
        """;

    private const string TrimRecords = "DELETE FROM grains_log WHERE partition_id = @partition_id AND log_offset <= @checkpoint_offset";

    // Append counters per partition, shared by every log instance on the same database object (the
    // process's one writer): bumped when an append completes, so receivers skip reads of idle partitions.
    private static readonly ConditionalWeakTable<SqliteDatabase, ConcurrentDictionary<int, long>> AppendCounts = new();

    private readonly SqliteDatabase _database;
    private readonly ConcurrentDictionary<int, long> _appendCounts;

    /// <summary>Creates the log over <paramref name="database"/> (which it does not own) and brings its tables to the newest schema.</summary>
    public SqliteDurableLog(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _appendCounts = AppendCounts.GetValue(database, static _ => new ConcurrentDictionary<int, long>());
        database.Migrate(SqliteDurableLogSchema.Component, SqliteDurableLogSchema.Migrations);
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Validated and copied now: a bad record fails the call before anything is queued, and the
        // caller may reuse its buffers as soon as this returns (a handed-over payload is kept, not copied).
        var copies = new Item[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ArgumentOutOfRangeException.ThrowIfNegative(record.Partition, nameof(records));
            copies[i] = new Item(record.Partition, StreamText.Namespace(record.Stream), StreamText.Key(record.Stream, nameof(records)), record.PayloadToKeep(), record.Trace);
        }

        return AppendAndSignalAsync(_database.EnqueueAsync(new AppendOperation(copies), cancellationToken), copies);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Knows only the appends made through this process's <see cref="SqliteDatabase"/> object (the
    /// only writer of an embedded server); another writer on the same file is seen by the receivers'
    /// reads once per <see cref="DurableLogStreamOptions.IdleReadInterval"/>.
    /// </remarks>
    public long? GetAppendMark(int partition) => _appendCounts.GetValueOrDefault(partition);

    private async Task AppendAndSignalAsync(Task append, Item[] records)
    {
        try
        {
            await append.ConfigureAwait(false);
        }
        finally
        {
            // Before the caller continues; also after a failure (a spurious signal costs one read, a
            // missed one the idle interval).
            foreach (var record in records)
            {
                _appendCounts.AddOrUpdate(record.Partition, 1, static (_, count) => count + 1);
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
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
            var records = new List<StoredLogRecord>();
            while (reader.Read())
            {
                records.Add(new StoredLogRecord(
                    reader.GetInt64(0),
                    StreamId.Create(reader.GetString(1), reader.GetString(2)),
                    reader.GetFieldValue<byte[]>(3),
                    SqliteTime.FromMicroseconds(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : LogTraceContext.From(reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6))));
            }

            return (IReadOnlyList<StoredLogRecord>)records;
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

    private sealed record Item(int Partition, string Namespace, string Key, byte[] Payload, LogTraceContext? Trace);

    private sealed class AppendOperation(Item[] records) : SqliteWriteOperation<bool>
    {
        public override string Kind => "log.append";

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var appendedAt = SqliteTime.ToMicroseconds(context.Now);
            foreach (var record in records)
            {
                var command = context.Commands.Get(InsertRecord);
                command.Parameters.AddWithValue("@partition_id", record.Partition);
                command.Parameters.AddWithValue("@stream_namespace", record.Namespace);
                command.Parameters.AddWithValue("@stream_key", record.Key);
                command.Parameters.AddWithValue("@payload", record.Payload);
                command.Parameters.AddWithValue("@appended_at", appendedAt);
                command.Parameters.AddWithValue("@trace_parent", (object?)record.Trace?.TraceParent ?? DBNull.Value);
                command.Parameters.AddWithValue("@trace_state", (object?)record.Trace?.TraceState ?? DBNull.Value);
                command.ExecuteNonQuery();
            }

            return true;
        }
    }

    private sealed class CheckpointOperation(int partition, long offset) : SqliteWriteOperation<bool>
    {
        public override string Kind => "log.checkpoint";

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
