using Grains.Runtime.Postgres;
using Grains.Testing;
using Npgsql;

namespace Grains.Runtime.Providers.Tests.Postgres;

/// <summary>
/// A fresh database on the test server (<see cref="PostgresTestServer"/>), opened and reopened by a
/// test as a <see cref="PostgresDatabase"/> and dropped afterwards.
/// </summary>
internal sealed class PostgresTestStore : IAsyncDisposable
{
    private readonly Action<PostgresStorageOptions>? _configure;
    private readonly List<PostgresDatabase> _extra = [];

    private PostgresTestStore(string connectionString, Action<PostgresStorageOptions>? configure)
    {
        ConnectionString = connectionString;
        _configure = configure;
    }

    /// <summary>The connection string of this store's database.</summary>
    public string ConnectionString { get; }

    public PostgresDatabase? Database { get; private set; }

    public static async Task<PostgresTestStore> CreateAsync(Action<PostgresStorageOptions>? configure = null) =>
        new(await PostgresTestServer.CreateDatabaseAsync("providers"), configure);

    public PostgresStorageOptions NewOptions()
    {
        var options = new PostgresStorageOptions { ConnectionString = ConnectionString };
        _configure?.Invoke(options);
        return options;
    }

    public PostgresDatabase Open()
    {
        if (Database is not null)
        {
            throw new InvalidOperationException("Close the open database first.");
        }

        Database = new PostgresDatabase(NewOptions());
        return Database;
    }

    /// <summary>Another instance over the same database (another silo), with its own connection pool; disposed with the store.</summary>
    public PostgresDatabase OpenAnother()
    {
        var database = new PostgresDatabase(NewOptions());
        lock (_extra)
        {
            _extra.Add(database);
        }

        return database;
    }

    public async Task<PostgresDatabase> ReopenAsync()
    {
        if (Database is { } database)
        {
            Database = null;
            await database.DisposeAsync();
        }

        return Open();
    }

    /// <summary>A plain connection to this store's database, for checks behind the providers' backs.</summary>
    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is { } database)
        {
            Database = null;
            await database.DisposeAsync();
        }

        foreach (var extra in _extra)
        {
            await extra.DisposeAsync();
        }

        try
        {
            var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover database on a throwaway server is harmless.
        }
    }
}
