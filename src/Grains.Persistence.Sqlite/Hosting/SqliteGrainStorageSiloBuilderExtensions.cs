using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Grains.Persistence.Sqlite.Hosting;

/// <summary>Adds <see cref="SqliteGrainStorage"/> providers to a silo.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds a SQLite grain storage as Orleans' default provider (<c>"Default"</c>).</summary>
    /// <inheritdoc cref="AddSqliteGrainStorage(ISiloBuilder, string, Action{SqliteGrainStorageOptions})" />
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions>? configure = null) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>
    /// Adds a SQLite grain storage called <paramref name="name"/> (grains pick it with
    /// <c>[PersistentState("state", name)]</c>). It writes through the process's shared
    /// <see cref="SqliteDatabase"/>, registered here if nothing registered it before; configure the
    /// file with <see cref="SqliteDatabaseServiceCollectionExtensions.AddGrainsSqliteDatabase"/> or by binding
    /// <see cref="SqliteStorageOptions"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">Sets the provider's options.</param>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSqliteGrainStorage(name, options => options.Configure(configure ?? (_ => { })));
    }

    /// <summary>Adds a SQLite grain storage called <paramref name="name"/>, its options set through an options builder.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">Configures the provider's named options (bind, validate, depend on services).</param>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteGrainStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddGrainsSqliteDatabase();
        configure(services.AddOptions<SqliteGrainStorageOptions>(name));

        // Fills in Orleans' default grain storage serializer when the options leave it unset.
        services.AddTransient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>();
        services.AddTransient<IConfigurationValidator>(sp => new SqliteGrainStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name),
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value,
            name));
        services.AddGrainStorage(name, SqliteGrainStorageFactory.Create);
        return builder;
    }
}
