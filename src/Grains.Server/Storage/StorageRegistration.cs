using Grains.Monitoring.Events;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Persistence.Sqlite.Hosting;
using Grains.Postgres;
using Grains.Postgres.Hosting;
using Grains.Reminders.Sqlite.Hosting;
using Grains.Server.Silo;
using Grains.Server.Storage.Azure;
using Grains.Server.Streams;
using Grains.Sqlite;
using Orleans.Providers;

namespace Grains.Server.Storage;

/// <summary>
/// Registers the storage the configuration selects, in one place: the silo's Orleans providers
/// (membership, grain state, reminders, the ingest stream and its producer) and the monitoring
/// stores. The monitoring stores (events, issues, directory) are relational in every option.
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
    /// On <see cref="GrainsStorageOptions.Azure"/>: Orleans membership, grain state and reminders in Azure
    /// tables (<see cref="AzureTablesOptions"/>); the ingest log and the stores on PostgreSQL when
    /// <c>ConnectionStrings:grains</c> is set, else on SQLite in the data directory (one silo only).
    /// With <c>Grains:Streams:Provider=eventhubs</c> the ingest stream is an Azure event hub instead of
    /// the log (<see cref="EventHubsIngestRegistration"/>).
    /// Either way the stores are created when the host starts (<see cref="StorageWarmup"/>), never
    /// lazily on the start path of the web server or of a grain, and the ingest stream's delivery
    /// starts once the server listens (<see cref="Silo.StreamDeliveryStarter"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A provider is unknown, or PostgreSQL has no connection string.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The Azure or Event Hubs settings are missing or invalid.</exception>
    public static ISiloBuilder AddGrainsStorage(this ISiloBuilder silo, IConfiguration configuration, GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var services = silo.Services;
        var provider = Provider(options);
        var orleansOnAzure = provider == GrainsStorageOptions.Azure;
        var onLog = (options.Streams ?? new()).Normalized() == GrainsStreamsOptions.Log;
        var tables = orleansOnAzure || !onLog
            ? ValidatedOptions.Check(AzureTablesOptions.Read(configuration), new AzureTablesOptionsValidator(orleansOnAzure
                ? $"Grains:Storage:Provider is '{GrainsStorageOptions.Azure}'"
                : $"Grains:Streams:Provider is '{GrainsStreamsOptions.EventHubs}' (its checkpoints are kept in Azure tables)"))
            : null;
        Action<SiloDurableLogStreamConfigurator> ingest = stream => stream.DeferDelivery();
        switch (RelationalDatabase(provider, configuration))
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
                if (!orleansOnAzure)
                {
                    silo.AddSqliteGrainStorageAsDefault();
                    silo.UseSqliteReminderService();
                }

                if (onLog)
                {
                    silo.AddSqliteDurableLogStreams(IngestStream.ProviderName, ingest);
                }

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
                if (!orleansOnAzure)
                {
                    UseOrleansPostgres(silo, configuration, connectionString);
                }

                if (onLog)
                {
                    silo.AddPostgresDurableLogStreams(IngestStream.ProviderName, ingest);
                }

                break;
        }

        if (orleansOnAzure)
        {
            silo.UseGrainsAzureTables(tables!);
        }

        if (onLog)
        {
            services.AddSingleton<IIngestStreamProducer, DurableLogIngestProducer>();
        }
        else
        {
            silo.AddGrainsEventHubStreams(ValidatedOptions.Check(EventHubsIngestOptions.Read(configuration), new EventHubsIngestOptionsValidator()), tables!);
            services.AddSingleton<IIngestStreamProducer, OrleansStreamIngestProducer>();
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

    /// <summary>
    /// The relational database of the monitoring stores (and, unless on Azure, of Orleans and the log):
    /// <see cref="GrainsStorageOptions.Sqlite"/> or <see cref="GrainsStorageOptions.Postgres"/>. On
    /// <see cref="GrainsStorageOptions.Azure"/>, PostgreSQL when <c>ConnectionStrings:grains</c> is set, else SQLite.
    /// </summary>
    public static string RelationalDatabase(string provider, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return provider != GrainsStorageOptions.Azure
            ? provider
            : string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)) ? GrainsStorageOptions.Sqlite : GrainsStorageOptions.Postgres;
    }

    /// <summary>The configured provider, normalized.</summary>
    /// <exception cref="InvalidOperationException">The provider is not <c>sqlite</c>, <c>postgres</c> or <c>azure</c>.</exception>
    public static string Provider(GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Storage?.Provider?.Trim() ?? "";
        if (provider.Length == 0)
        {
            return GrainsStorageOptions.Sqlite;
        }

        foreach (var known in (string[])[GrainsStorageOptions.Sqlite, GrainsStorageOptions.Postgres, GrainsStorageOptions.Azure])
        {
            if (provider.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        throw new InvalidOperationException(
            $"Unknown Grains:Storage:Provider '{provider}' (expected '{GrainsStorageOptions.Sqlite}', '{GrainsStorageOptions.Postgres}' or '{GrainsStorageOptions.Azure}').");
    }
}
