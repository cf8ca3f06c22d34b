using Grains.Runtime.Persistence;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly SqliteTestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Opening_creates_the_directories_the_schema_and_a_wal_database()
    {
        var database = _store.Open();
        await database.DisposeAsync();

        Assert.True(File.Exists(database.DataSource));
        Assert.Equal(SqliteSchema.LatestVersion, database.SchemaVersion);
        Assert.Equal(SqliteSynchronousMode.Full, database.Synchronous);
        using var connection = OpenRaw(database.DataSource);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(
            ["grains_checkpoints", "grains_reminders", "grains_schema", "grains_state", "grains_stream", "ix_grains_reminders_partition", "ix_grains_stream_partition_offset"],
            Strings(connection, "SELECT name FROM sqlite_master WHERE name LIKE 'grains%' OR name LIKE 'ix_grains%' ORDER BY name"));
        Assert.Equal([.. SqliteSchema.Migrations.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))], Strings(connection, "SELECT version FROM grains_schema ORDER BY version"));
    }

    [Fact]
    public async Task Reopening_applies_no_migration_twice()
    {
        _store.Open();
        var database = await _store.ReopenAsync();
        await _store.CloseAsync();

        using var connection = OpenRaw(database.DataSource);
        Assert.Equal((long)SqliteSchema.Migrations.Count, Scalar(connection, "SELECT COUNT(*) FROM grains_schema"));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused()
    {
        var path = _store.Open().DataSource;
        await _store.CloseAsync();
        using (var connection = OpenRaw(path))
        {
            Scalar(connection, "INSERT INTO grains_schema (version, description, applied_at) VALUES (999, 'from the future', 0)");
        }

        Assert.Throws<InvalidOperationException>(() => _store.Open());
    }

    [Theory]
    [InlineData(":memory:", 1, 1)]
    [InlineData("", 1, 1)]
    [InlineData("x.db", 0, 1)]
    [InlineData("x.db", 1, -1)]
    public void Invalid_options_are_rejected(string dataSource, int maxOperations, int maxIdleReaders)
    {
        var options = new SqliteStorageOptions { DataSource = dataSource, MaxOperationsPerTransaction = maxOperations, MaxIdleReadConnections = maxIdleReaders };

        Assert.ThrowsAny<ArgumentException>(() => new SqliteDatabase(options));
    }

    [Fact]
    public async Task Dispose_completes_queued_writes_and_then_refuses_new_ones()
    {
        var database = _store.Open();
        var storage = new SqliteGrainStorage(database);
        var grains = Enumerable.Range(0, 300).Select(_ => TestData.NewGrain()).ToArray();
        var writes = grains.Select(g => storage.WriteAsync("state", g, TestData.Bytes(g.Key), null)).ToArray();

        await _store.CloseAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("late"), null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync("state", grains[0]));
        storage = new SqliteGrainStorage(_store.Open());
        foreach (var grain in grains)
        {
            Assert.Equal(grain.Key, TestData.Text((await storage.ReadAsync("state", grain))!.Payload));
        }
    }

    [Fact]
    public async Task An_abort_fails_queued_writes_and_loses_nothing_acknowledged()
    {
        var database = _store.Open();
        var log = new SqliteStreamLog(database);
        var storage = new SqliteGrainStorage(database);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Track(string id, Task write)
        {
            try
            {
                await write;
                acknowledged.Add(id);
                if (acknowledged.Count >= 400)
                {
                    enoughAcknowledged.TrySetResult();
                }
            }
            catch (Exception error) when (error is ObjectDisposedException or OperationCanceledException)
            {
                failed.Add(id);
            }
        }

        // Sequential writers keep the queue busy until the abort; each stops at its first failure.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; failed.IsEmpty || i % 50 != 0; i++)
            {
                var id = w % 2 == 0 ? $"stream:{w}:{i}" : $"state:{w}:{i}";
                await Track(id, w % 2 == 0
                    ? log.AppendAsync([new StreamRecord(w, new StreamId("s", id), TestData.Bytes(id))])
                    : storage.WriteAsync("state", new GrainId("test", id), TestData.Bytes(id), null));
            }
        })).ToArray();
        await enoughAcknowledged.Task;

        // A burst that is still queued when the abort lands.
        var burst = Enumerable.Range(0, 2_000).Select(i => $"burst:{i}")
            .Select(id => Track(id, log.AppendAsync([new StreamRecord(9, new StreamId("s", id), TestData.Bytes(id))])))
            .ToArray();
        await database.AbortAsync();
        await Task.WhenAll(writers.Concat(burst));

        Assert.True(File.Exists(database.DataSource + "-wal"), "an abort leaves the WAL for recovery, as a crash would");
        Assert.NotEmpty(failed);
        log = new SqliteStreamLog(await _store.ReopenAsync());
        storage = new SqliteGrainStorage(_store.Database!);
        var stored = new HashSet<string>();
        foreach (var partition in Enumerable.Range(0, 10))
        {
            foreach (var record in await log.ReadAsync(partition, 0, 100_000))
            {
                Assert.True(stored.Add(TestData.Text(record.Payload)));
            }
        }

        foreach (var id in acknowledged.Concat(failed).Where(id => id.StartsWith("state:", StringComparison.Ordinal)))
        {
            if (await storage.ReadAsync("state", new GrainId("test", id)) is not null)
            {
                stored.Add(id);
            }
        }

        // Every write either completed (and must be there) or failed without running (and must not be).
        Assert.Equal(acknowledged.Count + failed.Count, acknowledged.Concat(failed).Distinct().Count());
        Assert.True(stored.SetEquals(acknowledged), $"{acknowledged.Except(stored).Count()} acknowledged writes lost, {stored.Except(acknowledged).Count()} unacknowledged ones stored");
    }

    [Fact]
    public async Task A_failing_operation_is_undone_without_undoing_the_others_in_its_transaction()
    {
        var database = _store.Open();
        var storage = new SqliteGrainStorage(database);
        var log = new SqliteStreamLog(database);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = database.EnqueueAsync(TestWriteOperation.Blocker(entered, release), CancellationToken.None);
        entered.Wait(TimeSpan.FromSeconds(30));

        // Queued behind the blocker, so the writer takes them together into one transaction.
        var before = storage.WriteAsync("state", new GrainId("test", "before"), TestData.Bytes("before"), null);
        var failing = database.EnqueueAsync(new TestWriteOperation(context =>
        {
            var insert = context.Commands.Connection.CreateCommand();
            insert.CommandText = "INSERT INTO grains_stream (partition_id, stream_namespace, stream_key, payload, appended_at) VALUES (0, 's', 'k', x'00', 0)";
            insert.ExecuteNonQuery();
            insert.CommandText = "INSERT INTO no_such_table VALUES (1)";
            insert.ExecuteNonQuery();
        }), CancellationToken.None);
        var throwing = database.EnqueueAsync(new TestWriteOperation(_ => throw new InvalidOperationException("boom")), CancellationToken.None);
        var after = log.AppendAsync([new StreamRecord(1, new StreamId("s", "k"), TestData.Bytes("after"))]);
        release.Set();

        await blocker;
        await before;
        await after;
        await Assert.ThrowsAsync<SqliteException>(() => failing);
        await Assert.ThrowsAsync<InvalidOperationException>(() => throwing);
        Assert.NotNull(await storage.ReadAsync("state", new GrainId("test", "before")));
        Assert.Empty(await log.ReadAsync(0, 0, 10));
        Assert.Single(await log.ReadAsync(1, 0, 10));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_applied()
    {
        var database = _store.Open();
        var storage = new SqliteGrainStorage(database);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = database.EnqueueAsync(TestWriteOperation.Blocker(entered, release), CancellationToken.None);
        entered.Wait(TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource();
        var grain = TestData.NewGrain();

        var write = storage.WriteAsync("state", grain, TestData.Bytes("one"), null, cancellation.Token);
        await cancellation.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        await blocker;
        Assert.Null(await storage.ReadAsync("state", grain));
    }

    [Fact]
    public async Task Reads_proceed_during_a_write_transaction_and_see_only_committed_data()
    {
        var database = _store.Open();
        var storage = new SqliteGrainStorage(database);
        var grain = TestData.NewGrain();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = database.EnqueueAsync(TestWriteOperation.Blocker(entered, release, context =>
        {
            var insert = context.Commands.Connection.CreateCommand();
            insert.CommandText = $"INSERT INTO grains_state (state_name, grain_id, etag, payload) VALUES ('state', '{grain}', 1, x'01')";
            insert.ExecuteNonQuery();
        }), CancellationToken.None);
        entered.Wait(TimeSpan.FromSeconds(30));

        var during = await storage.ReadAsync("state", grain);
        release.Set();
        await blocker;

        Assert.Null(during);
        Assert.Equal("1", (await storage.ReadAsync("state", grain))!.ETag);
    }

    private static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
