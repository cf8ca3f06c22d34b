using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Grains.IngestBench;

/// <summary>
/// The PostgreSQL ceiling of the cluster bench: the rows the ingest path writes per event — one
/// stream row (the stream payload: facts + normalized event) and one event-store row (the
/// Brotli payload) — written with binary <c>COPY</c>, or with plain multi-row <c>INSERT</c>,
/// into tables shaped like the log (<see cref="LogTables.Log"/>) and <c>events</c> (same columns, keys, index,
/// collation), as fast as PostgreSQL takes them. Payloads are real ones sampled from a cluster run.
/// What the ceiling leaves out (the server does it too): the stream trim, the stream head
/// counter, the issue summary / tag / hourly upserts, the grain state, the reads.
/// </summary>
public sealed class CopyCeiling(ThrowawayPostgres postgres, string database, CeilingSample sample)
{
    private const int Partitions = 64;

    private const string Schema = """
        DROP TABLE IF EXISTS ceiling_stream, ceiling_events;
        CREATE TABLE ceiling_stream (
            partition_id     integer     NOT NULL,
            stream_offset    bigint      NOT NULL,
            stream_namespace text        NOT NULL,
            stream_key       text        NOT NULL,
            payload          bytea       NOT NULL,
            appended_at      timestamptz NOT NULL,
            PRIMARY KEY (partition_id, stream_offset)
        );
        CREATE TABLE ceiling_events (
            project_id      BIGINT NOT NULL,
            event_id        TEXT COLLATE "C" NOT NULL,
            issue_id        BIGINT NOT NULL,
            event_timestamp BIGINT NOT NULL,
            received        BIGINT NOT NULL,
            stream_offset   BIGINT NOT NULL,
            title           TEXT COLLATE "C" NOT NULL,
            message         TEXT COLLATE "C" NOT NULL,
            platform        TEXT COLLATE "C" NOT NULL,
            event_type      TEXT COLLATE "C" NOT NULL,
            payload_size    BIGINT NOT NULL,
            payload         BYTEA  NOT NULL,
            PRIMARY KEY (project_id, event_id)
        );
        CREATE INDEX ix_ceiling_events_issue_timestamp ON ceiling_events (issue_id, event_timestamp, event_id);
        """;

    private long _nextOffset;

    /// <summary>Events (stream row + event row) per second with binary COPY, <paramref name="writers"/> connections, <paramref name="batch"/> events per transaction.</summary>
    public Task<CeilingResult> CopyAsync(int writers, int batch, TimeSpan duration) =>
        RunAsync($"binary COPY, {writers} connection{(writers == 1 ? "" : "s")}, {batch} events/transaction", writers, batch, duration, CopyBatchAsync);

    /// <summary>The same rows with multi-row <c>INSERT … VALUES</c> (<paramref name="rowsPerStatement"/> rows a statement, one transaction per batch).</summary>
    public Task<CeilingResult> InsertAsync(int writers, int batch, int rowsPerStatement, TimeSpan duration) =>
        RunAsync($"multi-row INSERT ({rowsPerStatement} rows/statement), {writers} connection{(writers == 1 ? "" : "s")}, {batch} events/transaction", writers, batch, duration,
            (connection, start, count, token) => InsertBatchAsync(connection, start, count, rowsPerStatement, token));

    private async Task<CeilingResult> RunAsync(string name, int writers, int batch, TimeSpan duration, Func<NpgsqlConnection, long, int, CancellationToken, Task> write)
    {
        await using (var connection = await postgres.OpenAsync(database))
        {
            await using var command = new NpgsqlCommand(Schema, connection);
            await command.ExecuteNonQueryAsync();
        }

        await Task.Delay(500);
        var before = await postgres.SnapshotAsync(database);
        var self = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        long events = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await postgres.OpenAsync(database);
            while (!stop.IsCancellationRequested)
            {
                var start = Interlocked.Add(ref _nextOffset, batch) - batch;
                await using var transaction = await connection.BeginTransactionAsync();
                await write(connection, start, batch, CancellationToken.None);
                await transaction.CommitAsync();
                Interlocked.Add(ref events, batch);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        self = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - self;
        await Task.Delay(1500); // backends report their counters at most once a second
        var cost = (await postgres.SnapshotAsync(database)).Minus(before);
        return new CeilingResult(name, events, elapsed, cost, self);
    }

    private async Task CopyBatchAsync(NpgsqlConnection connection, long start, int count, CancellationToken token)
    {
        var now = DateTime.UtcNow;
        await using (var stream = await connection.BeginBinaryImportAsync(
            "COPY ceiling_stream (partition_id, stream_offset, stream_namespace, stream_key, payload, appended_at) FROM STDIN (FORMAT BINARY)", token))
        {
            for (var i = 0; i < count; i++)
            {
                var offset = start + i;
                var row = sample.Stream[(int)(offset % sample.Stream.Count)];
                await stream.StartRowAsync(token);
                await stream.WriteAsync((int)(offset % Partitions), NpgsqlDbType.Integer, token);
                await stream.WriteAsync(offset, NpgsqlDbType.Bigint, token);
                await stream.WriteAsync(row.Namespace, NpgsqlDbType.Text, token);
                await stream.WriteAsync(row.Key, NpgsqlDbType.Text, token);
                await stream.WriteAsync(row.Payload, NpgsqlDbType.Bytea, token);
                await stream.WriteAsync(now, NpgsqlDbType.TimestampTz, token);
            }

            await stream.CompleteAsync(token);
        }

        await using (var events = await connection.BeginBinaryImportAsync(
            "COPY ceiling_events (project_id, event_id, issue_id, event_timestamp, received, stream_offset, title, message, platform, event_type, payload_size, payload) FROM STDIN (FORMAT BINARY)", token))
        {
            for (var i = 0; i < count; i++)
            {
                var offset = start + i;
                var e = sample.Events[(int)(offset % sample.Events.Count)];
                await events.StartRowAsync(token);
                await events.WriteAsync(e.ProjectId, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text, token);
                await events.WriteAsync(e.IssueId, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(e.Timestamp + offset, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(e.Received + offset, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(offset, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(e.Title, NpgsqlDbType.Text, token);
                await events.WriteAsync(e.Message, NpgsqlDbType.Text, token);
                await events.WriteAsync(e.Platform, NpgsqlDbType.Text, token);
                await events.WriteAsync(e.Type, NpgsqlDbType.Text, token);
                await events.WriteAsync(e.PayloadSize, NpgsqlDbType.Bigint, token);
                await events.WriteAsync(e.Payload, NpgsqlDbType.Bytea, token);
            }

            await events.CompleteAsync(token);
        }
    }

    private async Task InsertBatchAsync(NpgsqlConnection connection, long start, int count, int rowsPerStatement, CancellationToken token)
    {
        var now = DateTime.UtcNow;
        for (var from = 0; from < count; from += rowsPerStatement)
        {
            var rows = Math.Min(rowsPerStatement, count - from);
            await using (var command = new NpgsqlCommand { Connection = connection })
            {
                var sql = new System.Text.StringBuilder("INSERT INTO ceiling_stream (partition_id, stream_offset, stream_namespace, stream_key, payload, appended_at) VALUES ");
                for (var i = 0; i < rows; i++)
                {
                    var offset = start + from + i;
                    var row = sample.Stream[(int)(offset % sample.Stream.Count)];
                    var p = command.Parameters.Count;
                    sql.Append(i == 0 ? "" : ",").Append($"(${p + 1},${p + 2},${p + 3},${p + 4},${p + 5},${p + 6})");
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)(offset % Partitions) });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Namespace });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Key });
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = row.Payload });
                    command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(token);
            }

            await using (var command = new NpgsqlCommand { Connection = connection })
            {
                var sql = new System.Text.StringBuilder("INSERT INTO ceiling_events (project_id, event_id, issue_id, event_timestamp, received, stream_offset, title, message, platform, event_type, payload_size, payload) VALUES ");
                for (var i = 0; i < rows; i++)
                {
                    var offset = start + from + i;
                    var e = sample.Events[(int)(offset % sample.Events.Count)];
                    var p = command.Parameters.Count;
                    sql.Append(i == 0 ? "(" : ",(");
                    for (var c = 1; c <= 12; c++)
                    {
                        sql.Append(c == 1 ? "" : ",").Append('$').Append(p + c);
                    }

                    sql.Append(')');
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.ProjectId });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Guid.NewGuid().ToString("N") });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.IssueId });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Timestamp + offset });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Received + offset });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Title });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Message });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Platform });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.PayloadSize });
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = e.Payload });
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(token);
            }
        }
    }
}

/// <summary>Real rows of a cluster run, replayed by the ceiling.</summary>
public sealed record CeilingSample(IReadOnlyList<SampledStreamRow> Stream, IReadOnlyList<SampledEventRow> Events, bool StreamFromEvents)
{
    public double AverageStreamPayload => Stream.Average(s => s.Payload.Length);

    public double AverageEventPayload => Events.Average(e => e.Payload.Length);

    public double AverageEventJson => Events.Average(e => e.PayloadSize);

    /// <summary>Reads up to <paramref name="count"/> event rows of <paramref name="database"/>; stream rows come from <paramref name="stream"/> (sampled during the load, before trimming).</summary>
    public static async Task<CeilingSample> ReadAsync(ThrowawayPostgres postgres, string database, List<SampledStreamRow> stream, int count)
    {
        var events = new List<SampledEventRow>();
        await using (var connection = await postgres.OpenAsync(database))
        {
            await using var command = new NpgsqlCommand("""
                SELECT project_id, issue_id, event_timestamp, received, title, message, platform, event_type, payload_size, payload
                FROM events ORDER BY event_id LIMIT @count
                """, connection);
            command.Parameters.AddWithValue("count", count);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(new SampledEventRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                    reader.GetString(6), reader.GetString(7), reader.GetInt64(8), reader.GetFieldValue<byte[]>(9)));
            }
        }

        if (events.Count == 0)
        {
            throw new InvalidOperationException($"no events in {database} to sample for the ceiling");
        }

        var fromEvents = stream.Count == 0;
        if (fromEvents)
        {
            // Fallback: the stream item is a 16-byte header, the facts (~0.5 KB) and the event JSON compressed as
            // the event row stores it (IngestedEvent, version 2).
            foreach (var e in events)
            {
                var payload = new byte[16 + 512 + e.Payload.Length];
                e.Payload.AsSpan(0, Math.Min(512, e.Payload.Length)).CopyTo(payload.AsSpan(16));
                e.Payload.CopyTo(payload.AsSpan(16 + 512));
                stream.Add(new SampledStreamRow("events", $"{e.ProjectId}:{e.IssueId}", payload));
            }
        }

        return new CeilingSample(stream, events, fromEvents);
    }

    /// <summary>Reads stream rows not yet trimmed (call during the load).</summary>
    public static async Task SampleStreamAsync(ThrowawayPostgres postgres, string database, List<SampledStreamRow> into, int max)
    {
        if (into.Count >= max)
        {
            return;
        }

        await using var connection = await postgres.OpenAsync(database);
        await using var command = new NpgsqlCommand($"SELECT stream_namespace, stream_key, payload FROM {LogTables.Log} LIMIT @count", connection);
        command.Parameters.AddWithValue("count", max - into.Count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            into.Add(new SampledStreamRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        }
    }
}

public sealed record SampledStreamRow(string Namespace, string Key, byte[] Payload);

public sealed record SampledEventRow(long ProjectId, long IssueId, long Timestamp, long Received, string Title, string Message, string Platform, string Type, long PayloadSize, byte[] Payload);

/// <summary>One ceiling measurement: events (stream row + event row) written, and what it cost PostgreSQL.</summary>
public sealed record CeilingResult(string Name, long Events, TimeSpan Elapsed, PostgresSnapshot Cost, double ClientCpuSeconds)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
