using Grains.Postgres;
using Grains.Streaming.Postgres;
using Grains.Testing;

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

    private PostgresDatabase Open(bool trim = true, int maxAppendBatch = PostgresStorageOptions.DefaultMaxAppendBatch)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _connectionString, TrimStreamOnCheckpoint = trim, MaxAppendBatch = maxAppendBatch });
        _databases.Add(database);
        return database;
    }
}
