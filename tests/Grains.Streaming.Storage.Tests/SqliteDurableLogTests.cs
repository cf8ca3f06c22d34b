using Grains.Sqlite;
using Grains.Streaming.Sqlite;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The contract on <see cref="SqliteDurableLog"/> over the shared writer, plus what only SQLite has.</summary>
public sealed class SqliteDurableLogTests : DurableLogContract
{
    private readonly TempFile _file = new();
    private readonly List<SqliteDatabase> _databases = [];

    protected override Task<IDurableLog> CreateLogAsync() => Task.FromResult<IDurableLog>(new SqliteDurableLog(Open()));

    protected override Task<IDurableLog> ReopenAsync() => Task.FromResult<IDurableLog>(new SqliteDurableLog(Open()));

    public override async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _file.Dispose();
    }

    [Fact]
    public async Task An_append_through_any_log_on_the_database_changes_its_partitions_append_mark_before_it_completes()
    {
        var receiving = (SqliteDurableLog)Log;
        var appending = new SqliteDurableLog(_databases[0]); // another instance on the same writer
        var before = receiving.GetAppendMark(2);
        var untouched = receiving.GetAppendMark(5);
        Assert.NotNull(before);

        await appending.AppendAsync([Entry(2, "k", "x")]);

        Assert.NotEqual(before, receiving.GetAppendMark(2));
        Assert.Equal(untouched, receiving.GetAppendMark(5));
    }

    [Fact]
    public async Task Without_trimming_a_checkpoint_keeps_the_records_readable()
    {
        var log = new SqliteDurableLog(Open(trim: false));
        await log.AppendAsync([Entry(0, "k", "p0"), Entry(0, "k", "p1")]);
        var records = await log.ReadAsync(0, 0, 10);

        await log.SetCheckpointAsync(0, records[^1].Offset);

        Assert.Equal(["p0", "p1"], (await log.ReadAsync(0, 0, 10)).Select(Text));
        Assert.Equal(records[^1].Offset, await log.GetCheckpointAsync(0));
    }

    [Fact]
    public async Task The_log_sits_beside_the_old_runtime_tables_under_its_own_names_and_component()
    {
        var database = Open();
        var tables = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'grains_%' ORDER BY name";
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        });
        var version = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(version) FROM grains_component_schema WHERE component = 'streaming.log'";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Contains("grains_log", tables);
        Assert.Contains("grains_log_checkpoints", tables);
        Assert.Contains("grains_dead_letters", tables);
        Assert.Equal(SqliteDurableLogSchema.Migrations.Count, version);
    }

    [Fact]
    public async Task A_log_from_before_trace_contexts_is_migrated_in_place_and_its_records_read_without_one()
    {
        // A file of its own: the fixture's log already brought _file to the newest version.
        using var file = new TempFile();
        await using var database = new SqliteDatabase(new SqliteStorageOptions { DataSource = file.Path });
        database.Migrate(SqliteDurableLogSchema.Component, [SqliteDurableLogSchema.Migrations[0]]);
        await database.WriteAsync("test.insert", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO grains_log (partition_id, stream_namespace, stream_key, payload, appended_at) VALUES (0, 'contract', 'k', X'6F6C64', 0)";
            return command.ExecuteNonQuery();
        });

        var log = new SqliteDurableLog(database);
        var trace = new LogTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        await log.AppendAsync([Entry(0, "k", "new") with { Trace = trace }]);

        var records = await log.ReadAsync(0, 0, 10);
        Assert.Equal(["old", "new"], records.Select(Text));
        Assert.Equal([null, trace], records.Select(r => r.Trace));
    }

    private SqliteDatabase Open(bool trim = true)
    {
        var database = new SqliteDatabase(new SqliteStorageOptions { DataSource = _file.Path, TrimStreamOnCheckpoint = trim });
        _databases.Add(database);
        return database;
    }
}
