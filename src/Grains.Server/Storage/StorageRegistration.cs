using Grains.Monitoring.Events;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Persistence.Sqlite.Hosting;
using Grains.Postgres;
using Grains.Postgres.Hosting;
using Grains.Reminders.Sqlite.Hosting;
using Grains.Sqlite;
using Grains.Server.Silo;
using Orleans.Providers;

namespace Grains.Server.Storage;

/// <summary>
/// Registers the storage the configuration selects, in one place: the silo's Orleans providers
/// (membership, grain state, reminders, the ingest stream's log and dead letters) and the monitoring
/// stores, over one database.
/// </summary>
public static class StorageRegistration
{
    /// <summary>The name of the PostgreSQL connection string (<c>ConnectionStrings:grains</c>).</summary>
    public const string ConnectionStringName = "grains";

    /// <summary>
    /// On <see cref="GrainsStorageOptions.Sqlite"/> (default): SQLite at <c>{DataDirectory}/grains.db</c>
    /// for grain state, reminders, the ingest log and the stores, on one writer with group commit.
    /// On <see cref="GrainsStorageOptions.Postgres"/>: PostgreSQL from <c>ConnectionStrings:grains</c> for
    /// Orleans membership, grain state and reminders (Orleans' ADO.NET providers with the official
    /// scripts), the ingest log and the stores; the schemas migrated when the host starts.
    /// Either way the stores are created when the host starts (<see cref="StorageWarmup"/>), never
    /// lazily on the start path of the web server or of a grain, and the ingest stream's delivery
    /// starts once the server listens (<see cref="Silo.StreamDeliveryStarter"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or PostgreSQL has no connection string.</exception>
    public static ISiloBuilder AddGrainsStorage(this ISiloBuilder silo, IConfiguration configuration, GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var services = silo.Services;
        Action<SiloDurableLogStreamConfigurator> ingest = stream => stream.DeferDelivery();
        switch (Provider(options))
        {
            case GrainsStorageOptions.Sqlite:
                var databaseFile = Path.Combine(options.DataDirectory, "grains.db");
                PrivateDataDirectory.PrepareSqliteFile(databaseFile);
                services.AddGrainsSqliteDatabase(sqlite =>
                {
                    configuration.GetSection("Grains:Storage:Sqlite").Bind(sqlite);
                    sqlite.DataSource = databaseFile;
                });
                services.AddGrainsMonitoringSqlite();
                silo.AddSqliteGrainStorageAsDefault();
                silo.UseSqliteReminderService();
                silo.AddSqliteDurableLogStreams(IngestStream.ProviderName, ingest);
                break;
            case GrainsStorageOptions.Postgres:
                var connectionString = configuration.GetConnectionString(ConnectionStringName);
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"Grains:Storage:Provider is '{GrainsStorageOptions.Postgres}' but the connection string ConnectionStrings:{ConnectionStringName} is not set " +
                        $"(e.g. ConnectionStrings__{ConnectionStringName}=\"Host=db;Port=5432;Username=grains;Password=...;Database=grains\").");
                }

                services.AddGrainsPostgresDatabase(postgres =>
                {
                    configuration.GetSection("Grains:Storage:Postgres").Bind(postgres);
                    postgres.ConnectionString = connectionString;
                });
                services.AddGrainsMonitoringPostgres();
                UseOrleansPostgres(silo, configuration, connectionString);
                silo.AddPostgresDurableLogStreams(IngestStream.ProviderName, ingest);
                break;
            default:
                throw new InvalidOperationException($"Unknown storage provider '{Provider(options)}'.");
        }

        return silo;
    }

    /// <summary>
    /// Orleans' membership, grain state and reminders on PostgreSQL, each unless the <c>Orleans</c>
    /// configuration section declares that provider (<see cref="OrleansProviderDeclarations"/>: Aspire's
    /// AppHost declares all three with <c>ProviderType = Postgres</c>, Grains.Postgres' registration).
    /// </summary>
    private static void UseOrleansPostgres(ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        void SetConnection(OrleansPostgresOptions orleans) => orleans.ConnectionString = connectionString;
        if (!configuration.Declares("Orleans:Clustering"))
        {
            silo.UsePostgresClustering(SetConnection);
        }

        if (!configuration.Declares("Orleans:GrainStorage:" + ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME))
        {
            silo.AddPostgresGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, SetConnection);
        }

        if (!configuration.Declares("Orleans:Reminders"))
        {
            silo.UsePostgresReminderService(SetConnection);
        }
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
