using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace Grains.Postgres.Hosting;

/// <summary>Registers the one shared <see cref="PostgresDatabase"/> of a process.</summary>
public static class PostgresDatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers one singleton <see cref="PostgresDatabase"/> (disposed with the container) over
    /// <see cref="PostgresStorageOptions"/>, checked by <see cref="PostgresStorageOptionsValidator"/> when
    /// a silo starts. Components that keep tables in it (the stream log, the
    /// monitoring stores) resolve it and migrate their own schema. Calling this again only adds
    /// <paramref name="configure"/> to the same options: there is one pool per process.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, if given (they can also be bound from configuration).</param>
    public static IServiceCollection AddGrainsPostgresDatabase(this IServiceCollection services, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        var options = services.AddOptions<PostgresStorageOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigurationValidator, PostgresStorageOptionsValidator>());
        services.TryAddSingleton(sp => new PostgresDatabase(
            sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
