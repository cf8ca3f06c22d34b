using Grains.Postgres;
using Grains.Postgres.Hosting;
using Grains.Streaming.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Adds durable-log stream providers on PostgreSQL to a silo.</summary>
public static class SiloBuilderPostgresDurableLogStreamExtensions
{
    /// <summary>
    /// Adds the persistent stream provider <paramref name="name"/> over the PostgreSQL log
    /// (<see cref="PostgresDurableLog"/>, shared by every silo of the cluster) with its dead letters
    /// in the same database (<see cref="PostgresDeadLetterStore"/>), both on the process's shared
    /// <see cref="PostgresDatabase"/> (registered here if nothing registered it before; set its
    /// connection with <see cref="PostgresDatabaseServiceCollectionExtensions.AddGrainsPostgresDatabase"/>
    /// or by binding <see cref="PostgresStorageOptions"/>). The log's tables are migrated while the silo
    /// starts, so an unreachable database fails the start. Everything else is <c>AddDurableLogStreams</c>'.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">Further settings (options, cache size); the log and the dead-letter store are set already.</param>
    public static ISiloBuilder AddPostgresDurableLogStreams(this ISiloBuilder builder, string name, Action<SiloDurableLogStreamConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddGrainsPostgresDatabase();

        // One log per database: a second provider would share its partitions and checkpoints, so a
        // cluster has one PostgreSQL log provider (the ingest stream).
        builder.Services.TryAddSingleton(sp => new PostgresDurableLog(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<PostgresDurableLog>>()));
        builder.Services.TryAddSingleton(sp => new PostgresDeadLetterStore(sp.GetRequiredService<PostgresDatabase>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, PostgresDurableLogSchemaStartup>());
        return builder.AddDurableLogStreams(name, streams =>
        {
            streams.UseLog((sp, _) => sp.GetRequiredService<PostgresDurableLog>());
            streams.UseDeadLetterStore((sp, _) => sp.GetRequiredService<PostgresDeadLetterStore>());
            configure?.Invoke(streams);
        });
    }
}
