using System.Text;
using Grains.Postgres;
using Grains.Streaming.Postgres;
using Grains.Testing;
using Npgsql;

namespace Grains.Streaming.Storage.Tests;

/// <summary>
/// The contract on <see cref="PostgresDurableLog"/>, with two instances on two pools (two silos)
/// appending at once in the concurrency test, plus what only PostgreSQL has.
/// </summary>
public sealed class PostgresDurableLogTests : DurableLogContract
{
    private readonly List<PostgresDatabase> _databases = [];
    private string _connectionString = "";

    protected override async Task<IDurableLog> CreateLogAsync()
    {
        _connectionString = await PostgresTestServer.CreateDatabaseAsync("log");
        return new PostgresDurableLog(Open());
    }

    protected override Task<IDurableLog> ReopenAsync() => Task.FromResult<IDurableLog>(new PostgresDurableLog(Open()));

    protected override Task<IReadOnlyList<IDurableLog>> WritersAsync() =>
        Task.FromResult<IReadOnlyList<IDurableLog>>([Log, new PostgresDurableLog(Open())]);

    public override async Task DisposeAsync()
    {
        await ((PostgresDurableLog)Log).DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_trimming_a_checkpoint_keeps_the_records_readable()
    {
        var log = new PostgresDurableLog(Open(trim: false));
        await log.AppendAsync([Entry(0, "k", "p0"), Entry(0, "k", "p1")]);
        var records = await log.ReadAsync(0, 0, 10);

        await log.SetCheckpointAsync(0, records[^1].Offset);

        Assert.Equal(["p0", "p1"], (await log.ReadAsync(0, 0, 10)).Select(Text));
    }

    [Fact]
    public async Task An_append_larger_than_one_statement_is_still_one_transaction_in_order()
    {
        var log = new PostgresDurableLog(Open(maxAppendBatch: 7));
        await log.AppendAsync([.. Enumerable.Range(0, 30).Select(i => Entry(i % 3, "k", $"p{i}"))]);

        for (var partition = 0; partition < 3; partition++)
        {
            var expected = Enumerable.Range(0, 30).Where(i => i % 3 == partition).Select(i => $"p{i}");
            var records = await log.ReadAsync(partition, 0, 100);
            Assert.Equal(expected, records.Select(Text));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), records.Select(r => r.Offset)); // per-partition counters: 1, 2, …
        }
    }

    [Fact]
    public async Task Two_instances_starting_at_once_migrate_the_tables_once()
    {
        var first = new PostgresDurableLog(Open());
        var second = new PostgresDurableLog(Open());

        await Task.WhenAll(first.InitializeAsync(), second.InitializeAsync(), Log.GetCheckpointAsync(0));

        await using var command = _databases[0].DataSource.CreateCommand("SELECT count(*) FROM grains_component_schema WHERE component = 'streaming.log'");
        Assert.Equal((long)PostgresDurableLogSchema.Migrations.Count, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_log_from_before_trace_contexts_is_migrated_in_place_and_its_records_read_without_one()
    {
        var database = Open();
        await database.MigrateAsync(PostgresDurableLogSchema.Component, [PostgresDurableLogSchema.Migrations[0]]);
        await using (var insert = database.DataSource.CreateCommand("""
            INSERT INTO grains_log_heads (partition_id, next_offset) VALUES (0, 2);
            INSERT INTO grains_log (partition_id, log_offset, stream_namespace, stream_key, payload, appended_at) VALUES (0, 1, 'contract', 'k', 'old'::bytea, now());
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var log = new PostgresDurableLog(database);
        var trace = new LogTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=opaque");
        await log.AppendAsync([Entry(0, "k", "new") with { Trace = trace }]);

        var records = await log.ReadAsync(0, 0, 10);
        Assert.Equal(["old", "new"], records.Select(Text));
        Assert.Equal([null, trace], records.Select(r => r.Trace));
    }

    [Fact]
    public async Task Concurrent_appends_are_group_committed_and_each_caller_s_records_are_committed_in_its_order()
    {
        using var metrics = new MetricsRecorder();
        await Log.GetCheckpointAsync(0); // tables ready, so the first group is not the only one waiting

        // 200 callers at once, 1-3 records each over 4 partitions.
        var calls = Enumerable.Range(0, 200).Select(c => Enumerable.Range(0, 1 + c % 3).Select(r => Entry((c + r) % 4, $"k{c}", $"c{c}r{r}")).ToArray()).ToArray();
        await Task.WhenAll(calls.Select(call => Task.Run(() => Log.AppendAsync(call))));

        var expected = calls.SelectMany(call => call).ToLookup(entry => entry.Partition, entry => Encoding.UTF8.GetString(entry.Payload.Span));
        for (var partition = 0; partition < 4; partition++)
        {
            var records = await Log.ReadAsync(partition, 0, 1_000);
            Assert.Equal(expected[partition].Order(StringComparer.Ordinal), records.Select(Text).Order(StringComparer.Ordinal)); // each once
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Offset)); // dense per partition

            // A caller's records of one partition keep its order.
            foreach (var group in records.GroupBy(r => r.Stream))
            {
                Assert.Equal(group.Select(Text).Order(StringComparer.Ordinal), group.Select(Text));
            }
        }

        Assert.Equal(200, metrics.Sum("grains.streaming.append.group_calls"));
        Assert.True(metrics.Count("grains.streaming.append.group_calls") < 200, "some appends were committed together");
    }

    [Fact]
    public async Task A_failed_group_fails_every_caller_in_it_and_none_of_their_records_or_offsets_is_kept()
    {
        await Log.AppendAsync([Entry(0, "k", "first")]);
        await ExecuteAsync("""
            CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF convert_from(NEW.payload, 'UTF8') = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_boom BEFORE INSERT ON grains_log FOR EACH ROW EXECUTE FUNCTION refuse_boom();
            """);

        Task blocked, good, bad, cancelled;
        using var cancel = new CancellationTokenSource();
        await using (var blocker = await LockPartitionAsync(0))
        {
            blocked = Log.AppendAsync([Entry(0, "k", "blocked")]);
            await WaitForLockWaitAsync();

            // Queued behind the blocked group: they go out together as the next one.
            good = Log.AppendAsync([Entry(1, "k", "good"), Entry(3, "k", "good")]);
            bad = Log.AppendAsync([Entry(2, "k", "boom")]);
            cancelled = Log.AppendAsync([Entry(4, "k", "cancelled")], cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        await blocked;
        Assert.IsType<PostgresException>(await Record.ExceptionAsync(() => good), exactMatch: false);
        Assert.IsType<PostgresException>(await Record.ExceptionAsync(() => bad), exactMatch: false);
        Assert.Equal(["first", "blocked"], (await Log.ReadAsync(0, 0, 10)).Select(Text));
        for (var partition = 1; partition <= 4; partition++)
        {
            Assert.Empty(await Log.ReadAsync(partition, 0, 10));
        }

        // The failed group gave its offsets back: the next append of partition 1 gets offset 1.
        await Log.AppendAsync([Entry(1, "k", "after")]);
        Assert.Equal(1L, Assert.Single(await Log.ReadAsync(1, 0, 10)).Offset);
    }

    [Fact]
    public async Task A_committed_group_notifies_its_partitions()
    {
        await Log.GetCheckpointAsync(0);
        await using var listener = _databases[0].CreateSessionConnection();
        await listener.OpenAsync();
        var received = new List<string>();
        listener.Notification += (_, e) => received.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDurableLog.NotificationChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await Log.AppendAsync([Entry(5, "k", "a"), Entry(2, "k", "b"), Entry(5, "k", "c")]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await listener.WaitAsync(timeout.Token);
        Assert.Equal(["2,5"], received);
    }

    [Fact]
    public async Task Another_silo_s_append_changes_the_append_mark_of_its_partitions_only()
    {
        var receiving = (PostgresDurableLog)Log;
        await using var other = new PostgresDurableLog(Open());
        await receiving.InitializeAsync();

        // Null until the listener listens: receivers then read as without a signal.
        var before = await EventuallyAsync(() => receiving.GetAppendMark(7));
        var untouched = receiving.GetAppendMark(8);

        await other.AppendAsync([Entry(7, "k", "x")]);

        await EventuallyAsync(() => receiving.GetAppendMark(7) is { } mark && mark != before ? mark : null);
        Assert.Equal(untouched, receiving.GetAppendMark(8));
    }

    [Fact]
    public async Task An_instance_s_own_append_changes_the_mark_before_the_append_completes()
    {
        var log = (PostgresDurableLog)Log;
        var before = await EventuallyAsync(() => log.GetAppendMark(3));

        await log.AppendAsync([Entry(3, "k", "x")]);

        Assert.NotEqual(before, log.GetAppendMark(3));
    }

    private static async Task<long> EventuallyAsync(Func<long?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _databases[0].DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Holds partition <paramref name="partition"/>'s counter row locked until disposed (then commits).</summary>
    private async Task<IAsyncDisposable> LockPartitionAsync(int partition)
    {
        var connection = await _databases[0].DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT next_offset FROM grains_log_heads WHERE partition_id = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        Assert.NotNull(await command.ExecuteScalarAsync());
        return new Blocker(connection, transaction);
    }

    private async Task WaitForLockWaitAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = _databases[0].DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the append never waited for the locked counter row");
            await Task.Delay(20);
        }
    }

    private sealed class Blocker(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private PostgresDatabase Open(bool trim = true, int maxAppendBatch = PostgresStorageOptions.DefaultMaxAppendBatch)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _connectionString, TrimStreamOnCheckpoint = trim, MaxAppendBatch = maxAppendBatch });
        _databases.Add(database);
        return database;
    }
}
