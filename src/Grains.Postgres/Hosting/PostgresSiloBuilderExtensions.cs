using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;

namespace Grains.Postgres.Hosting;

/// <summary>
/// Orleans' ADO.NET clustering, grain storage and reminders on PostgreSQL, configured from one
/// <see cref="OrleansPostgresOptions"/>, with the official scripts applied at silo start.
/// </summary>
/// <remarks>
/// Each extension may be called alone or with the others, in any order: each registers the shared
/// pieces (options, validator, schema migration at start) once, and each <c>configure</c> callback
/// adds to the same options. The connection string is read when the providers are built, so it may
/// also come from configuration bound to <see cref="OrleansPostgresOptions"/>.
/// <example>
/// <code>
/// silo.Configure&lt;ClusterOptions&gt;(o =&gt; { o.ClusterId = "grains"; o.ServiceId = "grains"; })
///     .UsePostgresClustering(o =&gt; o.ConnectionString = cs)
///     .AddPostgresGrainStorage("Default")
///     .UsePostgresReminderService();
/// </code>
/// </example>
/// </remarks>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// Clustering, grain storage named <paramref name="storageName"/> and reminders, all on the
    /// PostgreSQL database of <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="configure">Sets the connection string and, if needed, other options.</param>
    /// <param name="storageName">The grain storage name (<c>[PersistentState(..., storageName)]</c>); Orleans' default name by default.</param>
    public static ISiloBuilder UseOrleansPostgres(
        this ISiloBuilder builder, Action<OrleansPostgresOptions> configure, string storageName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UsePostgresClustering(configure).AddPostgresGrainStorage(storageName).UsePostgresReminderService();
    }

    /// <summary>
    /// Orleans' ADO.NET membership on PostgreSQL, with the membership timing of
    /// <see cref="OrleansPostgresOptions"/> (tuned so a dead silo is declared dead within seconds).
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="configure">Adds to the shared options (e.g. sets the connection string); optional.</param>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<OrleansPostgresOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddShared(builder.Services, configure);
        builder.UseAdoNetClustering(adoNet => adoNet.Configure<IOptions<OrleansPostgresOptions>>((o, postgres) =>
        {
            o.Invariant = OrleansPostgresOptions.Invariant;
            o.ConnectionString = PostgresConnectionDefaults.Apply(postgres.Value.ConnectionString);
        }));
        builder.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<OrleansPostgresOptions>>((o, postgres) =>
        {
            var settings = postgres.Value;
            o.ProbeTimeout = settings.ProbeTimeout;
            o.NumMissedProbesLimit = settings.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = settings.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = settings.TableRefreshTimeout;
            o.IAmAliveTablePublishTimeout = settings.IAmAliveTablePublishTimeout;
        });
        return builder;
    }

    /// <summary>Orleans' ADO.NET grain storage on PostgreSQL under <paramref name="name"/> (ETags fence stale writes).</summary>
    /// <param name="builder">The silo.</param>
    /// <param name="name">The storage name grains ask for (<c>[PersistentState(..., name)]</c>).</param>
    /// <param name="configure">Adds to the shared options (e.g. sets the connection string); optional.</param>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, Action<OrleansPostgresOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddShared(builder.Services, configure);
        builder.AddAdoNetGrainStorage(name, adoNet => adoNet.Configure<IOptions<OrleansPostgresOptions>>((o, postgres) =>
        {
            o.Invariant = OrleansPostgresOptions.Invariant;
            o.ConnectionString = PostgresConnectionDefaults.Apply(postgres.Value.ConnectionString);
        }));
        return builder;
    }

    /// <summary>Orleans' ADO.NET reminder table on PostgreSQL (durable reminders, any silo fires them).</summary>
    /// <param name="builder">The silo.</param>
    /// <param name="configure">Adds to the shared options (e.g. sets the connection string); optional.</param>
    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, Action<OrleansPostgresOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddShared(builder.Services, configure);
        builder.UseAdoNetReminderService(adoNet => adoNet.Configure<IOptions<OrleansPostgresOptions>>((o, postgres) =>
        {
            o.Invariant = OrleansPostgresOptions.Invariant;
            o.ConnectionString = PostgresConnectionDefaults.Apply(postgres.Value.ConnectionString);
        }));
        return builder;
    }

    private static void AddShared(IServiceCollection services, Action<OrleansPostgresOptions>? configure)
    {
        var options = services.AddOptions<OrleansPostgresOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigurationValidator, OrleansPostgresOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, OrleansPostgresSchemaStartup>());
    }
}
