using Grains.Postgres;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;

namespace Grains.Streaming.Postgres;

/// <summary>
/// <see cref="IDurableLog"/> in the <c>grains_log</c>, <c>grains_log_heads</c> and
/// <c>grains_log_checkpoints</c> tables of a <see cref="PostgresDatabase"/>, safe for many silos
/// appending to the same partitions at once. Ported from the old runtime's <c>PostgresStreamLog</c>
/// (same statements, new table names).
/// </summary>
/// <remarks>
/// <para>
/// Offsets come from a counter row per partition (<c>grains_log_heads</c>), never from a
/// sequence. An append increments the counter of each of its partitions inside its own transaction,
/// so it holds those rows locked until it commits: a concurrent append to the same partition waits,
/// then gets higher offsets and commits later. Offsets of a partition therefore become visible in
/// offset order, and a reader can never checkpoint past an offset that commits afterwards (with a
/// sequence, offset 10 could commit before 9, and 9 would be lost to a reader that already moved on).
/// Counter rows are locked in ascending partition order, so appends spanning several partitions
/// cannot deadlock one another. A rolled-back append gives its offsets back; none was visible.
/// </para>
/// <para>
/// One <see cref="AppendAsync"/> is one transaction: one statement (the counters' upsert and the
/// records' insert from arrays), or several when the append has more than
/// <see cref="PostgresStorageOptions.MaxAppendBatch"/> records.
/// </para>
/// <para>
/// Calls on one instance take their offsets in call order (a producer may hand over the next group
/// while the previous one commits): an append starts its statements only once every earlier call
/// holds its counters (or failed), then commits while the next one proceeds. Appends from different
/// instances (silos) are ordered by the counter locks alone.
/// </para>
/// <para>
/// A checkpoint never moves backwards (<c>GREATEST</c> of the stored and the new value). With
/// <see cref="PostgresStorageOptions.TrimStreamOnCheckpoint"/> setting it also deletes the
/// partition's records at or below it, in the same statement.
/// </para>
/// </remarks>
public sealed class PostgresDurableLog : IDurableLog
{
    // $1/$2: the distinct partitions of the batch in ascending order and their record counts.
    // $3..$9: the records, sorted by partition (stably), each with "back" = how many records of its
    // partition in this batch are at or after it, so its offset is the counter's new value minus back.
    private const string Append = """
        WITH heads AS (
            INSERT INTO grains_log_heads AS h (partition_id, next_offset)
            SELECT u.partition_id, u.appended + 1 FROM unnest($1::integer[], $2::bigint[]) AS u(partition_id, appended)
            ORDER BY u.partition_id
            ON CONFLICT (partition_id) DO UPDATE SET next_offset = h.next_offset + excluded.next_offset - 1
            RETURNING h.partition_id, h.next_offset
        )
        INSERT INTO grains_log (partition_id, log_offset, stream_namespace, stream_key, payload, appended_at, trace_parent, trace_state)
        SELECT r.partition_id, h.next_offset - r.back, r.stream_namespace, r.stream_key, r.payload, now(), r.trace_parent, r.trace_state
        FROM unnest($3::integer[], $4::bigint[], $5::text[], $6::text[], $7::bytea[], $8::text[], $9::text[])
            AS r(partition_id, back, stream_namespace, stream_key, payload, trace_parent, trace_state)
        JOIN heads h ON h.partition_id = r.partition_id
        """;

    private const string SelectRecords = """
        SELECT log_offset, stream_namespace, stream_key, payload, appended_at, trace_parent, trace_state FROM grains_log
        WHERE partition_id = $1 AND log_offset > $2
        ORDER BY log_offset
        LIMIT $3
        """;

    private const string SelectCheckpoint = "SELECT checkpoint_offset FROM grains_log_checkpoints WHERE partition_id = $1";

    private const string UpsertCheckpoint = """
        INSERT INTO grains_log_checkpoints AS c (partition_id, checkpoint_offset, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (partition_id) DO UPDATE SET
            checkpoint_offset = GREATEST(c.checkpoint_offset, excluded.checkpoint_offset),
            updated_at = excluded.updated_at
        """;

    // Trims at or below the stored checkpoint (the greater of the old and the new one).
    private const string UpsertCheckpointAndTrim = """
        WITH checkpoint AS (
            INSERT INTO grains_log_checkpoints AS c (partition_id, checkpoint_offset, updated_at) VALUES ($1, $2, now())
            ON CONFLICT (partition_id) DO UPDATE SET
                checkpoint_offset = GREATEST(c.checkpoint_offset, excluded.checkpoint_offset),
                updated_at = excluded.updated_at
            RETURNING checkpoint_offset
        )
        DELETE FROM grains_log WHERE partition_id = $1 AND log_offset <= (SELECT checkpoint_offset FROM checkpoint)
        """;

    private readonly PostgresDatabase _database;
    private readonly PostgresDurableLogSchemaGate _schema;
    private readonly object _order = new();

    /// <summary>Completes when every append called so far holds its counters or has failed.</summary>
    private Task _lastLocked = Task.CompletedTask;

    /// <summary>Creates the log over <paramref name="database"/> (which it does not own); its tables are migrated before its first operation.</summary>
    public PostgresDurableLog(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresDurableLogSchemaGate.For(database);
    }

    /// <summary>Brings the log's tables to the newest schema now (at silo start), rather than at the first operation.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Validated and copied now: a bad record fails the call before anything runs, and the caller
        // may reuse its buffers as soon as this returns. Sorted by partition (stably, so each
        // partition keeps the caller's order) for the ascending lock order and the chunking.
        var copies = new Item[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ArgumentOutOfRangeException.ThrowIfNegative(record.Partition, nameof(records));
            copies[i] = new Item(record.Partition, i, StreamText.Namespace(record.Stream), StreamText.Key(record.Stream, nameof(records)), record.Payload.ToArray(), record.Trace);
        }

        Array.Sort(copies, static (a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Index.CompareTo(b.Index));

        // Takes this call's place in line now, in call order: its statements start once every earlier
        // call holds its counters (or failed), so their offsets are lower wherever partitions overlap.
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_order)
        {
            previous = _lastLocked;
            _lastLocked = Task.WhenAll(previous, locked.Task);
        }

        var append = new AppendCall(copies, _database.MaxAppendBatch, previous, locked);
        var task = AppendAfterSchemaAsync(append, cancellationToken);

        // Whatever happened (even before the statements ran: cancelled, disposed, unreachable), the line moves on.
        task.ContinueWith(static (_, state) => ((TaskCompletionSource)state!).TrySetResult(), locked, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return RunAsync("log.read", (partition, afterOffset, maxCount), static async (connection, query, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(SelectRecords, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.afterOffset });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.maxCount });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var records = new List<StoredLogRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(new StoredLogRecord(
                    reader.GetInt64(0),
                    StreamId.Create(reader.GetString(1), reader.GetString(2)),
                    reader.GetFieldValue<byte[]>(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : LogTraceContext.From(reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6))));
            }

            return (IReadOnlyList<StoredLogRecord>)records;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return RunAsync("log.checkpoint.read", partition, static async (connection, partition, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(SelectCheckpoint, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long offset ? offset : 0L;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return RunAsync("log.checkpoint", (partition, offset, trim: _database.TrimStreamOnCheckpoint), static async (connection, checkpoint, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(checkpoint.trim ? UpsertCheckpointAndTrim : UpsertCheckpoint, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checkpoint.partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.offset });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private Task AppendAfterSchemaAsync(AppendCall append, CancellationToken cancellationToken) =>
        RunAsync("log.append", append, static (connection, append, cancellationToken) => AppendInOrderAsync(connection, append, cancellationToken), cancellationToken);

    /// <summary>Runs one operation through the database (span, metrics, failure log) once the tables are ready.</summary>
    private async Task<T> RunAsync<TState, T>(string kind, TState state, Func<NpgsqlConnection, TState, CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ExecuteAsync(kind, state, execute, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> AppendInOrderAsync(NpgsqlConnection connection, AppendCall append, CancellationToken cancellationToken)
    {
        // BEGIN goes out with the first statement; the counters stay locked until COMMIT.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await append.Previous.WaitAsync(cancellationToken).ConfigureAwait(false);

            // Chunks of a sorted batch lock the counters in ascending order too (a partition that
            // spans two chunks is locked again by the same transaction, which does not wait).
            var items = append.Items;
            for (var start = 0; start < items.Length; start += append.MaxBatch)
            {
                await AppendChunkAsync(connection, new ArraySegment<Item>(items, start, Math.Min(append.MaxBatch, items.Length - start)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Every counter this append needs is locked (or it failed): the next call may go while this one commits.
            append.Locked.TrySetResult();
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task AppendChunkAsync(NpgsqlConnection connection, ArraySegment<Item> items, CancellationToken cancellationToken)
    {
        var count = items.Count;
        var headPartitions = new List<int>();
        var headCounts = new List<long>();
        var partitions = new int[count];
        var backs = new long[count];
        var namespaces = new string[count];
        var keys = new string[count];
        var payloads = new byte[count][];
        var traceParents = new string?[count];
        var traceStates = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var item = items[i];
            if (headPartitions.Count == 0 || headPartitions[^1] != item.Partition)
            {
                headPartitions.Add(item.Partition);
                headCounts.Add(0);
            }

            headCounts[^1]++;
            partitions[i] = item.Partition;
            namespaces[i] = item.Namespace;
            keys[i] = item.Key;
            payloads[i] = item.Payload;
            traceParents[i] = item.Trace?.TraceParent;
            traceStates[i] = item.Trace?.TraceState;
        }

        // back = records of the same partition from this one to the partition's last in the chunk.
        for (var i = count - 1; i >= 0; i--)
        {
            backs[i] = i + 1 < count && partitions[i + 1] == partitions[i] ? backs[i + 1] + 1 : 1;
        }

        await using var command = new NpgsqlCommand(Append, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. headPartitions], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. headCounts], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = partitions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = backs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = namespaces, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = traceParents, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = traceStates, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (inserted != count)
        {
            // Cannot happen while every record's partition has a counter row in the same statement.
            throw new InvalidOperationException($"Appending {count} log records inserted {inserted}.");
        }
    }

    private sealed record Item(int Partition, int Index, string Namespace, string Key, byte[] Payload, LogTraceContext? Trace);

    private sealed record AppendCall(Item[] Items, int MaxBatch, Task Previous, TaskCompletionSource Locked);
}
