using System.Diagnostics;
using Grains.Runtime.Hosting;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Benchmarks;

internal sealed record StreamResult(
    int Items,
    int Appenders,
    int ItemsPerAppend,
    int Streams,
    double AveragePayloadBytes,
    double AppendSeconds,
    double EndToEndSeconds,
    double AppendP50Ms,
    double AppendP99Ms,
    double CeilingSeconds,
    int CeilingBatch,
    bool ExactlyOnce,
    string Check,
    string Breakdown = "")
{
    public double AppendedPerSecond => Items / AppendSeconds;

    public double DeliveredPerSecond => Items / EndToEndSeconds;

    public double CeilingPerSecond => Items / CeilingSeconds;
}

/// <summary>
/// Durable stream appends and exactly-once delivery on SQLite, end to end, against the ceiling of
/// raw batched inserts of the same rows into a table of the same shape with the same settings.
/// </summary>
internal static class StreamBenchmarks
{
    public static async Task<StreamResult> RunAsync(Settings settings, Action<string> log)
    {
        var directory = Path.Combine(Path.GetTempPath(), "grains-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var items = settings.StreamItems;
            var keys = Enumerable.Range(0, settings.StreamKeys).Select(i => $"stream-{i:D5}").ToArray();
            var payloads = MakePayloads(items, settings.PayloadMin, settings.PayloadMax);
            var averagePayload = payloads.Average(p => (double)p.Length);

            // Ceiling first, on its own file: a raw insert loop has nothing to warm up that matters.
            var ceiling = RawInserts(Path.Combine(directory, "raw.db"), keys, payloads, settings.CeilingBatch, settings.PartitionCount);
            log($"  ceiling: {items / ceiling:N0} rows/s ({items:N0} rows, {settings.CeilingBatch:N0} per transaction, {ceiling:0.00} s)");

            // Warm-up run on its own file (JIT, thread pool), then the measured run on a fresh file.
            await RunRuntimeAsync(Path.Combine(directory, "warmup.db"), keys, payloads.Take(Math.Min(items, 20_000)).ToArray(), settings, _ => { });
            var result = await RunRuntimeAsync(Path.Combine(directory, "grains.db"), keys, payloads, settings, log);
            return result with { CeilingSeconds = ceiling, CeilingBatch = settings.CeilingBatch, AveragePayloadBytes = averagePayload };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static byte[][] MakePayloads(int count, int min, int max)
    {
        var random = new Random(42);
        var payloads = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            payloads[i] = new byte[random.Next(min, max + 1)];
            random.NextBytes(payloads[i]);
        }

        return payloads;
    }

    private static async Task<StreamResult> RunRuntimeAsync(string path, string[] keys, byte[][] payloads, Settings settings, Action<string> log)
    {
        var items = payloads.Length;
        await using var host = await SiloHost.StartAsync(
            builder => builder.AddGrainAssembly(typeof(StreamCounterGrain).Assembly).Configure(o =>
            {
                o.PartitionCount = settings.PartitionCount;
                o.Streams.DeliveryLinger = TimeSpan.FromMilliseconds(settings.DeliveryLingerMs);
            }),
            services => services.AddGrainsSqlite(o =>
            {
                o.DataSource = path;
                o.Synchronous = SqliteSynchronousMode.Full;
            }));
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        using var diagnostics = new Diagnostics();
        var done = StreamProgress.Reset(items);
        var next = -1;
        var perAppend = settings.ItemsPerAppend;
        var histograms = new Histogram[settings.Appenders];

        var started = Stopwatch.GetTimestamp();
        var appenders = Enumerable.Range(0, settings.Appenders).Select(a => Task.Run(async () =>
        {
            var histogram = histograms[a] = new Histogram();
            var batch = new List<StreamMessage>(perAppend);
            while (true)
            {
                var first = Interlocked.Add(ref next, perAppend) - perAppend + 1;
                if (first >= items)
                {
                    return;
                }

                batch.Clear();
                for (var i = first; i < Math.Min(items, first + perAppend); i++)
                {
                    batch.Add(new StreamMessage(new StreamId(StreamCounterGrain.StreamNamespace, keys[i % keys.Length]), payloads[i]));
                }

                var t0 = Stopwatch.GetTimestamp();
                await producer.AppendAsync(batch.ToArray());
                histogram.Record(Stopwatch.GetTimestamp() - t0);
            }
        })).ToArray();
        await Task.WhenAll(appenders);
        var appendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        log($"  appended {items:N0} items durably in {appendSeconds:0.00} s: {items / appendSeconds:N0} items/s");

        var finished = await done.WaitAsync(TimeSpan.FromSeconds(settings.StreamTimeoutSeconds));
        var endToEnd = Stopwatch.GetElapsedTime(started, finished).TotalSeconds;
        log($"  applied {items:N0} items exactly once in {endToEnd:0.00} s after the first append: {items / endToEnd:N0} items/s");
        var breakdown = diagnostics.Describe();
        log($"  {breakdown}");

        // Check: every stream's state holds exactly its items (no loss, no double application).
        var expected = new long[keys.Length];
        for (var i = 0; i < items; i++)
        {
            expected[i % keys.Length]++;
        }

        var factory = host.GrainFactory;
        var wrong = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            var state = await factory.GetGrain<IStreamCounterGrain>(keys[k]).GetState();
            if (state.Items != expected[k])
            {
                wrong++;
            }
        }

        var histogram = new Histogram();
        foreach (var h in histograms)
        {
            histogram.Add(h);
        }

        await host.StopAsync();
        var check = wrong == 0
            ? $"all {keys.Length:N0} subscriber states hold exactly their items ({items:N0} in total)"
            : $"{wrong} of {keys.Length} subscriber states differ from the items appended";
        return new StreamResult(items, settings.Appenders, perAppend, keys.Length, 0, appendSeconds, endToEnd,
            histogram.PercentileMicroseconds(0.5) / 1000, histogram.PercentileMicroseconds(0.99) / 1000, 0, 0, wrong == 0, check, breakdown);
    }

    /// <summary>
    /// The ceiling: the same rows inserted into the same table shape (grains_stream with its index),
    /// WAL and synchronous=FULL, one prepared statement, one transaction per <paramref name="batch"/> rows.
    /// </summary>
    private static double RawInserts(string path, string[] keys, byte[][] payloads, int batch, int partitionCount)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = FULL");
        Execute(connection, """
            CREATE TABLE grains_stream (
                stream_offset    INTEGER PRIMARY KEY AUTOINCREMENT,
                partition_id     INTEGER NOT NULL,
                stream_namespace TEXT    NOT NULL,
                stream_key       TEXT    NOT NULL,
                payload          BLOB    NOT NULL,
                appended_at      INTEGER NOT NULL
            );
            CREATE INDEX ix_grains_stream_partition_offset ON grains_stream (partition_id, stream_offset);
            """);

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO grains_stream (partition_id, stream_namespace, stream_key, payload, appended_at) VALUES (@p, @n, @k, @b, @t)";
        var p = insert.Parameters.Add("@p", SqliteType.Integer);
        var n = insert.Parameters.Add("@n", SqliteType.Text);
        var k = insert.Parameters.Add("@k", SqliteType.Text);
        var b = insert.Parameters.Add("@b", SqliteType.Blob);
        var t = insert.Parameters.Add("@t", SqliteType.Integer);
        insert.Prepare();

        var started = Stopwatch.GetTimestamp();
        for (var first = 0; first < payloads.Length; first += batch)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            for (var i = first; i < Math.Min(payloads.Length, first + batch); i++)
            {
                var key = keys[i % keys.Length];
                p.Value = (int)((uint)key.GetHashCode() % (uint)partitionCount);
                n.Value = StreamCounterGrain.StreamNamespace;
                k.Value = key;
                b.Value = payloads[i];
                t.Value = now;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
