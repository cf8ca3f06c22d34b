using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Postgres.Hosting;
using Grains.Runtime.Postgres;
using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Server.Storage;

/// <summary>Registers the storage the configuration selects: the runtime's providers and the monitoring stores over one database.</summary>
public static class StorageRegistration
{
    /// <summary>The name of the PostgreSQL connection string (<c>ConnectionStrings:grains</c>).</summary>
    public const string ConnectionStringName = "grains";

    /// <summary>
    /// On <see cref="GrainsStorageOptions.Sqlite"/> (default): SQLite at <c>{DataDirectory}/grains.db</c>.
    /// On <see cref="GrainsStorageOptions.Postgres"/>: PostgreSQL from <c>ConnectionStrings:grains</c>,
    /// the schemas migrated when the host starts. Either way the stores are created when the host starts
    /// (<see cref="StorageWarmup"/>), never lazily on the start path of the web server or of a grain.
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or PostgreSQL has no connection string.</exception>
    public static WebApplicationBuilder AddGrainsStorage(this WebApplicationBuilder builder, GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddHostedService<StorageWarmup>();
        switch (Provider(options))
        {
            case GrainsStorageOptions.Sqlite:
                var databaseFile = Path.Combine(options.DataDirectory, "grains.db");
                PrivateDataDirectory.PrepareSqliteFile(databaseFile);
                builder.Services.AddGrainsSqlite(sqlite => sqlite.DataSource = databaseFile);
                builder.Services.AddGrainsMonitoringSqlite();
                break;
            case GrainsStorageOptions.Postgres:
                var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"Grains:Storage:Provider is '{GrainsStorageOptions.Postgres}' but the connection string ConnectionStrings:{ConnectionStringName} is not set " +
                        $"(e.g. ConnectionStrings__{ConnectionStringName}=\"Host=db;Port=5432;Username=grains;Password=...;Database=grains\").");
                }

                builder.Services.AddGrainsPostgres(postgres =>
                {
                    builder.Configuration.GetSection("Grains:Storage:Postgres").Bind(postgres);
                    postgres.ConnectionString = connectionString;
                });
                // The monitoring stores live on Grains.Postgres' database; the old runtime's providers
                // still on Grains.Runtime.Postgres' twin (same options) until that runtime is deleted.
                builder.Services.AddGrainsPostgresDatabase(postgres =>
                {
                    builder.Configuration.GetSection("Grains:Storage:Postgres").Bind(postgres);
                    postgres.ConnectionString = connectionString;
                });
                builder.Services.AddGrainsMonitoringPostgres();
                break;
        }

        return builder;
    }

    /// <summary>The configured provider, normalized.</summary>
    /// <exception cref="InvalidOperationException">The provider is neither <c>sqlite</c> nor <c>postgres</c>.</exception>
    public static string Provider(GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Storage?.Provider?.Trim() ?? "";
        if (provider.Length == 0 || provider.Equals(GrainsStorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return GrainsStorageOptions.Sqlite;
        }

        if (provider.Equals(GrainsStorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return GrainsStorageOptions.Postgres;
        }

        throw new InvalidOperationException($"Unknown Grains:Storage:Provider '{provider}' (expected '{GrainsStorageOptions.Sqlite}' or '{GrainsStorageOptions.Postgres}').");
    }
}
