using Grains.Monitoring.Postgres;
using Grains.Postgres;
using Grains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Grains.Monitoring.Storage.Tests.Backends;

/// <summary>A new database on the tests' PostgreSQL server (<see cref="PostgresTestServer"/>), dropped afterwards.</summary>
public sealed class PostgresBackend : IStoreBackend
{
    private readonly List<string> _databases = [];

    public string Name => "postgres";

    public string ConnectionString { get; private set; } = "";

    public PostgresDatabase Database { get; private set; } = null!;

    public IEventStore Events { get; private set; } = null!;

    public IIssueStore Issues { get; private set; } = null!;

    public IDirectoryStore Directory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        Use(new PostgresDatabase(new PostgresStorageOptions { ConnectionString = ConnectionString }));
    }

    /// <summary>A fresh database (dropped with this backend); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("ms");
        _databases.Add(new NpgsqlConnectionStringBuilder(connectionString).Database!);
        return connectionString;
    }

    public IItemStore CreateItemStore(ItemStoreOptions? options = null) => new PostgresItemStore(Database, options);

    public Grains.Monitoring.Outcomes.IOutcomeStore CreateOutcomeStore(TimeProvider? time = null) => new PostgresOutcomeStore(Database, time);

    public Grains.Monitoring.Alerts.Delivery.IAlertDeliveryStore CreateAlertDeliveryStore() => new PostgresAlertDeliveryStore(Database);

    public async Task<IReadOnlyList<object?[]>> QueryAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        return await BackendRows.ReadAllAsync(reader);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ReopenAsync()
    {
        await Database.DisposeAsync();
        Use(new PostgresDatabase(new PostgresStorageOptions { ConnectionString = ConnectionString }));
    }

    public async Task<IServiceCollection> AddStoresAsync(IServiceCollection services)
    {
        var connectionString = await CreateDatabaseAsync();
        services.AddSingleton(_ => new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString }));
        return services.AddGrainsMonitoringPostgres();
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
            await connection.OpenAsync();
            foreach (var name in _databases)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover database on a throwaway server is harmless.
        }
    }

    public override string ToString() => Name;

    private void Use(PostgresDatabase database)
    {
        Database = database;
        Events = new PostgresEventStore(database);
        Issues = new PostgresIssueStore(database);
        Directory = new PostgresDirectoryStore(database);
    }
}
