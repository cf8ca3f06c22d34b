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
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    private PostgresDatabase Open(bool trim = true, int maxAppendBatch = PostgresStorageOptions.DefaultMaxAppendBatch)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _connectionString, TrimStreamOnCheckpoint = trim, MaxAppendBatch = maxAppendBatch });
        _databases.Add(database);
        return database;
    }
}
