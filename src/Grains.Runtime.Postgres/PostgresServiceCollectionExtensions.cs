using Grains.Runtime.Persistence;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Runtime.Postgres;

/// <summary>Registers the PostgreSQL storage providers.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="PostgresDatabase"/> (disposed with the container) and, over it,
    /// <see cref="PostgresGrainStorage"/>, <see cref="PostgresStreamLog"/> and
    /// <see cref="PostgresReminderTable"/> as the singleton <see cref="IGrainStorage"/>,
    /// <see cref="IStreamLog"/> and <see cref="IReminderTable"/>. The runtime's tables are migrated
    /// when a generic host starts (a hosted service, so an unreachable database fails the start), and
    /// in any case before the providers' first operation.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (they can also be bound from configuration with <c>services.Configure&lt;PostgresStorageOptions&gt;</c>).</param>
    public static IServiceCollection AddGrainsPostgres(this IServiceCollection services, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddLogging();
        services.AddOptions<PostgresStorageOptions>().Configure(configure);
        services.AddSingleton(sp => new PostgresDatabase(
            sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresSchemaService>());
        services.AddSingleton<PostgresGrainStorage>();
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<PostgresGrainStorage>());
        services.AddSingleton<PostgresStreamLog>();
        services.AddSingleton<IStreamLog>(sp => sp.GetRequiredService<PostgresStreamLog>());
        services.AddSingleton<PostgresReminderTable>();
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<PostgresReminderTable>());
        return services;
    }
}
