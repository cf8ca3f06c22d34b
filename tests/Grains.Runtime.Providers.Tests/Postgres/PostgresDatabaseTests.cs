using Grains.Runtime.Postgres;
using Grains.Runtime.Streams;
using Npgsql;

namespace Grains.Runtime.Providers.Tests.Postgres;

public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private static readonly (string Description, string Sql)[] Migrations =
    [
        ("things", "CREATE TABLE test_things (id integer PRIMARY KEY, name text NOT NULL)"),
        ("things get a size", "ALTER TABLE test_things ADD COLUMN size integer NOT NULL DEFAULT 0"),
        ("one thing", "INSERT INTO test_things (id, name, size) VALUES (1, 'first', 3)"),
    ];

    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Migrations_are_applied_in_order_and_recorded_per_component()
    {
        var database = _store.Open();

        await database.MigrateAsync("test", Migrations);

        Assert.Equal(3, await _store.ScalarAsync("SELECT size FROM test_things WHERE id = 1"));
        Assert.Equal(3, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'test'"));
        Assert.Equal(3, await _store.ScalarAsync("SELECT MAX(version) FROM grains_component_schema WHERE component = 'test'"));
        Assert.Equal(1, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'test' AND version = 2 AND description = 'things get a size'"));
    }

    [Fact]
    public async Task Migrating_again_applies_only_the_new_migrations()
    {
        await _store.Open().MigrateAsync("test", Migrations[..2]);
        await using var connection = await _store.ConnectAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO test_things (id, name) VALUES (2, 'kept')", connection))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var reopened = await _store.ReopenAsync();
        await reopened.MigrateAsync("test", Migrations);
        await reopened.MigrateAsync("test", Migrations);

        Assert.Equal(2, await _store.ScalarAsync("SELECT COUNT(*) FROM test_things"));
        Assert.Equal(3, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'test'"));
    }

    [Fact]
    public async Task Components_are_versioned_independently()
    {
        var database = _store.Open();

        await database.MigrateAsync("test", Migrations[..1]);
        await database.MigrateAsync("other", [("other table", "CREATE TABLE test_other (id integer)"), ("more", "ALTER TABLE test_other ADD COLUMN x integer")]);

        Assert.Equal(1, await _store.ScalarAsync("SELECT MAX(version) FROM grains_component_schema WHERE component = 'test'"));
        Assert.Equal(2, await _store.ScalarAsync("SELECT MAX(version) FROM grains_component_schema WHERE component = 'other'"));
    }

    [Fact]
    public async Task A_failing_migration_keeps_nothing_of_the_run()
    {
        var database = _store.Open();
        await database.MigrateAsync("test", Migrations[..1]);

        await Assert.ThrowsAsync<PostgresException>(() => database.MigrateAsync("test", [.. Migrations[..2], ("broken", "ALTER TABLE no_such_table ADD COLUMN x integer")]));

        Assert.Equal(1, await _store.ScalarAsync("SELECT MAX(version) FROM grains_component_schema WHERE component = 'test'"));
        Assert.Equal(0, await _store.ScalarAsync("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'test_things' AND column_name = 'size'"));
        await database.MigrateAsync("test", Migrations);
        Assert.Equal(3, await _store.ScalarAsync("SELECT size FROM test_things WHERE id = 1"));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused()
    {
        var database = _store.Open();
        await database.MigrateAsync("test", Migrations);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync("test", Migrations[..2]));

        Assert.Contains("version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silos_migrating_at_once_apply_each_migration_exactly_once()
    {
        // Every instance has its own pool, as separate silo processes would. Without the lock, two of
        // them would both see version 0 and the second CREATE TABLE (or the version insert) would fail.
        var silos = Enumerable.Range(0, 8).Select(_ => _store.OpenAnother()).ToArray();
        using var start = new ManualResetEventSlim();
        var runs = silos.Select(silo => Task.Run(async () =>
        {
            start.Wait();
            await silo.MigrateAsync("test", Migrations);
            await silo.MigrateAsync(PostgresDatabase.RuntimeComponent, PostgresSchema.Migrations);
        })).ToArray();

        start.Set();
        await Task.WhenAll(runs);

        Assert.Equal(1, await _store.ScalarAsync("SELECT COUNT(*) FROM test_things"));
        Assert.Equal(3, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'test'"));
        Assert.Equal(PostgresSchema.Migrations.Count, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'runtime'"));
    }

    [Fact]
    public async Task Providers_create_the_runtime_tables_on_first_use_once_for_many_callers()
    {
        var database = _store.Open();
        var log = new PostgresStreamLog(database);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => log.AppendAsync([new StreamRecord(0, new StreamId("events", "k"), TestData.Bytes($"{i}"))])));

        Assert.Equal(20, (await log.ReadAsync(0, 0, 100)).Count);
        Assert.Equal(PostgresSchema.Migrations.Count, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'runtime'"));
    }

    [Fact]
    public void An_empty_connection_string_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresDatabase(new PostgresStorageOptions()));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not a connection string")]
    [InlineData("Host=localhost;Pasword=secret-value;Database=x")]
    [InlineData("Host=localhost;Port=notaport;Password=secret-value")]
    public void A_malformed_connection_string_is_refused_without_repeating_it(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString }));

        Assert.Contains("connection string is malformed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_the_endpoint_and_without_the_password()
    {
        // Port 1 on loopback refuses at once: no timeout to wait for.
        await using var database = new PostgresDatabase(new PostgresStorageOptions
        {
            ConnectionString = "Host=127.0.0.1;Port=1;Username=grains;Password=secret-value;Database=nowhere;Timeout=5",
        });

        var error = await Assert.ThrowsAsync<NpgsqlException>(() => database.MigrateAsync("test", Migrations));
        Assert.Contains("127.0.0.1:1/nowhere", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);

        // The providers report it the same way, and try again (the schema is not marked ready).
        var storage = new PostgresGrainStorage(database);
        var again = await Assert.ThrowsAsync<NpgsqlException>(() => storage.ReadAsync("state", TestData.NewGrain()));
        Assert.Contains("127.0.0.1:1/nowhere", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_fails_with_the_server_error()
    {
        var name = new NpgsqlConnectionStringBuilder(_store.ConnectionString) { Database = "grains_no_such_database" }.ConnectionString;
        await using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = name });

        var error = await Assert.ThrowsAsync<NpgsqlException>(() => database.MigrateAsync("test", Migrations));

        Assert.Contains("grains_no_such_database", error.Message, StringComparison.Ordinal);
        Assert.Equal("3D000", Assert.IsType<PostgresException>(error.InnerException).SqlState);
    }

    [Fact]
    public async Task After_dispose_operations_fail_with_ObjectDisposedException()
    {
        var database = _store.Open();
        var storage = new PostgresGrainStorage(database);
        await storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null);

        await database.DisposeAsync();
        await database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.MigrateAsync("test", Migrations));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _store.ConnectionString, MaxAppendBatch = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _store.ConnectionString, MigrationTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public async Task A_session_connection_is_unpooled_configurable_and_keeps_the_password()
    {
        var database = _store.Open();
        await using var session = database.CreateSessionConnection(s => s.ApplicationName = "Grains session test");

        await session.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('application_name')", session);
        Assert.Equal("Grains session test", await command.ExecuteScalarAsync());
        Assert.False(new NpgsqlConnectionStringBuilder(database.CreateSessionConnection().ConnectionString).Pooling);

        // The data source's own connection string leaves the password out; a session must not.
        await using var withPassword = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = "Host=db.example;Username=app;Password=secret-value;Database=grains" });
        Assert.DoesNotContain("secret-value", withPassword.DataSource.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("secret-value", new NpgsqlConnectionStringBuilder(withPassword.CreateSessionConnection().ConnectionString).Password);
    }

    [Fact]
    public void The_endpoint_names_host_port_database_and_user_only()
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = "Host=db.example;Port=6543;Username=app;Password=secret-value;Database=grains" });

        Assert.Equal("db.example:6543/grains as app", database.Endpoint);
    }
}
