using System.Collections.Concurrent;
using System.Globalization;
using Grains.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
/// Appends are group-committed: calls on one instance queue, and everything queued while the
/// previous group commits goes out as the next group, one <see cref="NpgsqlBatch"/> in one round
/// trip and one implicit transaction (the counters' upsert and the records' insert from arrays, one
/// statement per <see cref="PostgresStorageOptions.MaxAppendBatch"/> records, and a
/// <c>pg_notify</c> on <see cref="NotificationChannel"/> naming the partitions). Each call
/// completes when its group committed; a failed group fails every call in it, none of whose
/// records is visible. One group at a time per instance: calls take their offsets in call order.
/// Appends from different instances (silos) are ordered by the counter locks alone, held only for
/// the statement and its commit, never over a client round trip.
/// </para>
/// <para>
/// A checkpoint never moves backwards (<c>GREATEST</c> of the stored and the new value). With
/// <see cref="PostgresStorageOptions.TrimStreamOnCheckpoint"/> setting it also deletes the
/// partition's records at or below it, in the same statement.
/// </para>
/// </remarks>
public sealed partial class PostgresDurableLog : IDurableLog, IDurableLogAppendSignal, IAsyncDisposable
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

    // Sent in the same implicit transaction as the inserts: PostgreSQL delivers it only if they commit.
    private const string Notify = "SELECT pg_notify($1, $2)";

    private readonly PostgresDatabase _database;
    private readonly PostgresDurableLogSchemaGate _schema;

    /// <summary>Appends waiting for the next group commit, in call order (sized by their records).</summary>
    private readonly PostgresGroupCommit<Item[]> _appends;

    private readonly ILogger _logger;

    // Append signal: per-partition counters bumped after each commit this process sees (its own
    // groups, other silos' notifications), plus an epoch bumped on "any partition" and on every
    // (re)connection of the listener, since notifications sent while it was away are lost.
    private readonly ConcurrentDictionary<int, long> _appendCounts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _listenRetry;
    private long _epoch;
    private volatile bool _listening;
    private int _listenerStarted;
    private Task _listener = Task.CompletedTask;

    /// <summary>Creates the log over <paramref name="database"/> (which it does not own); its tables are migrated before its first operation.</summary>
    /// <param name="database">The database.</param>
    /// <param name="logger">For the notification listener's connection failures; none when <c>null</c>.</param>
    public PostgresDurableLog(PostgresDatabase database, ILogger<PostgresDurableLog>? logger = null)
        : this(database, logger, TimeSpan.FromSeconds(1))
    {
    }

    internal PostgresDurableLog(PostgresDatabase database, ILogger<PostgresDurableLog>? logger, TimeSpan listenRetry)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresDurableLogSchemaGate.For(database);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _listenRetry = listenRetry;
        _appends = new PostgresGroupCommit<Item[]>(CommitGroupAsync, static items => items.Length, () => database.MaxAppendBatch);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The first call starts the listener (one unpooled session connection doing <c>LISTEN</c> on
    /// <see cref="NotificationChannel"/>); until it listens, and whenever its connection is lost,
    /// this returns <c>null</c> so receivers read every pulling period as without a signal.
    /// </remarks>
    public long? GetAppendMark(int partition)
    {
        if (Interlocked.Exchange(ref _listenerStarted, 1) == 0)
        {
            _listener = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        }

        if (!_listening)
        {
            return null;
        }

        // Both terms only grow, so the sum changes whenever either does.
        return Volatile.Read(ref _epoch) + _appendCounts.GetValueOrDefault(partition);
    }

    /// <summary>Stops the notification listener (appends and reads keep working; the database is not closed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _listener.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The <c>NOTIFY</c> channel every committed group of appends notifies, with the appended
    /// partitions as the payload (decimal, comma-separated; empty when they would not fit, meaning "any").
    /// </summary>
    public const string NotificationChannel = "grains_log";

    /// <summary>Brings the log's tables to the newest schema now (at silo start), rather than at the first operation.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The call joins the instance's next group commit: every append queued while the previous group
    /// commits goes out together, in one round trip and one transaction, and completes once that
    /// transaction committed (or fails with it: a group is all or nothing). The token cancels the call
    /// only while it still waits for its group; once its group was sent it completes with it.
    /// </remarks>
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Validated and copied now: a bad record fails the call before anything runs, and the caller
        // may reuse its buffers as soon as this returns (a handed-over payload is kept, not copied).
        var copies = new Item[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ArgumentOutOfRangeException.ThrowIfNegative(record.Partition, nameof(records));
            copies[i] = new Item(record.Partition, 0, StreamText.Namespace(record.Stream), StreamText.Key(record.Stream, nameof(records)), record.PayloadToKeep(), record.Trace);
        }

        return _appends.CommitAsync(copies, cancellationToken);
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

    /// <summary>Runs one operation through the database (span, metrics, failure log) once the tables are ready.</summary>
    private async Task<T> RunAsync<TState, T>(string kind, TState state, Func<NpgsqlConnection, TState, CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ExecuteAsync(kind, state, execute, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commits one group of appends (<see cref="PostgresGroupCommit{T}"/>: everything queued when the
    /// previous group finished, up to <see cref="PostgresStorageOptions.MaxAppendBatch"/> records, one
    /// larger append alone). One group at a time keeps offsets in call order: a group's counters are
    /// taken after the previous group committed.
    /// </summary>
    private async Task CommitGroupAsync(IReadOnlyList<Item[]> group)
    {
        var maxBatch = _database.MaxAppendBatch;
        var count = 0;
        foreach (var append in group)
        {
            count += append.Length;
        }

        await _schema.EnsureAsync(CancellationToken.None).ConfigureAwait(false);
        await _database.ExecuteAsync("log.append", (Items: Sorted(group, count), MaxBatch: maxBatch), static (connection, state, cancellationToken) => AppendGroupAsync(connection, state.Items, state.MaxBatch, cancellationToken)).ConfigureAwait(false);
        StreamingInstruments.AppendGroupCalls.Record(group.Count);
        Signal(group);
    }

    /// <summary>
    /// The group's records sorted by partition, each partition in call order (calls in queue order,
    /// records in the caller's order): ascending partitions give the ascending lock order.
    /// </summary>
    private static Item[] Sorted(IReadOnlyList<Item[]> group, int count)
    {
        var items = new Item[count];
        var next = 0;
        foreach (var append in group)
        {
            foreach (var item in append)
            {
                items[next] = item with { Index = next };
                next++;
            }
        }

        Array.Sort(items, static (a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Index.CompareTo(b.Index));
        return items;
    }

    /// <summary>
    /// One round trip: the chunks' statements and the notification in one <see cref="NpgsqlBatch"/>
    /// without an explicit transaction, which PostgreSQL runs as one implicit transaction (all or
    /// nothing, committed by the batch's end), so no head row stays locked over a client round trip.
    /// </summary>
    private static async Task<bool> AppendGroupAsync(NpgsqlConnection connection, Item[] items, int maxBatch, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);

        // Chunks of a sorted group lock the counters in ascending order too (a partition that spans
        // two chunks is locked again by the same transaction, which does not wait).
        var chunks = new List<(NpgsqlBatchCommand Command, int Count)>();
        for (var start = 0; start < items.Length; start += maxBatch)
        {
            var chunk = new ArraySegment<Item>(items, start, Math.Min(maxBatch, items.Length - start));
            var command = ChunkCommand(chunk);
            batch.BatchCommands.Add(command);
            chunks.Add((command, chunk.Count));
        }

        var notify = new NpgsqlBatchCommand(Notify);
        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NotificationChannel });
        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NotificationPayload(items) });
        batch.BatchCommands.Add(notify);

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (command, count) in chunks)
        {
            if (command.RecordsAffected != count)
            {
                // Cannot happen while every record's partition has a counter row in the same statement.
                throw new InvalidOperationException($"Appending {count} log records inserted {command.RecordsAffected}.");
            }
        }

        return true;
    }

    /// <summary>Bumps the append counters of the group's partitions (after its commit, before its callers complete).</summary>
    private void Signal(IReadOnlyList<Item[]> group)
    {
        foreach (var append in group)
        {
            foreach (var item in append)
            {
                _appendCounts.AddOrUpdate(item.Partition, 1, static (_, count) => count + 1);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Keepalive: a connection that died silently is noticed while it waits for notifications.
                await using var connection = _database.CreateSessionConnection(static settings => settings.KeepAlive = 15);
                await connection.OpenAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand("LISTEN " + NotificationChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                // Anything appended before LISTEN took effect was not notified: a new epoch makes every receiver read once.
                Interlocked.Increment(ref _epoch);
                _listening = true;
                LogListening(_database.Endpoint);
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _listening = false;
                LogListenFailed(exception, _database.Endpoint, _listenRetry);
            }
            finally
            {
                _listening = false;
            }

            try
            {
                await Task.Delay(_listenRetry, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Payload.Length == 0)
        {
            Interlocked.Increment(ref _epoch);
            return;
        }

        foreach (var part in notification.Payload.Split(','))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                _appendCounts.AddOrUpdate(partition, 1, static (_, count) => count + 1);
            }
            else
            {
                // Not ours (someone else notifying the channel): treat it as "any partition".
                Interlocked.Increment(ref _epoch);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Listening for stream log appends on PostgreSQL at {Endpoint}")]
    private partial void LogListening(string endpoint);

    [LoggerMessage(2, LogLevel.Warning, "The stream log's notification listener lost or could not open its connection to PostgreSQL at {Endpoint}; receivers read every pulling period until it reconnects (retry in {Retry})")]
    private partial void LogListenFailed(Exception exception, string endpoint, TimeSpan retry);

    /// <summary>The distinct partitions of a sorted group, comma-separated; empty (meaning any) beyond what a notification carries.</summary>
    internal static string NotificationPayload(Item[] sorted)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i > 0 && sorted[i].Partition == sorted[i - 1].Partition)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(sorted[i].Partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (text.Length > MaxNotificationPayload)
            {
                return "";
            }
        }

        return text.ToString();
    }

    // PostgreSQL's limit is 8,000 bytes; a partition list that long is better read as "any".
    private const int MaxNotificationPayload = 4_000;

    private static NpgsqlBatchCommand ChunkCommand(ArraySegment<Item> items)
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

        var command = new NpgsqlBatchCommand(Append);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. headPartitions], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. headCounts], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = partitions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = backs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = namespaces, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = traceParents, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = traceStates, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    internal sealed record Item(int Partition, int Index, string Namespace, string Key, byte[] Payload, LogTraceContext? Trace);
}
