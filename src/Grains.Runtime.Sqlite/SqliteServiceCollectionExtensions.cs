using Grains.Runtime.Persistence;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Sqlite;

/// <summary>Registers the SQLite storage providers.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteDatabase"/> (opened and migrated when first resolved, disposed
    /// with the container) and, over it, <see cref="SqliteGrainStorage"/>, <see cref="SqliteStreamLog"/>
    /// and <see cref="SqliteReminderTable"/> as the singleton <see cref="IGrainStorage"/>,
    /// <see cref="IStreamLog"/> and <see cref="IReminderTable"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (they can also be bound from configuration with <c>services.Configure&lt;SqliteStorageOptions&gt;</c>).</param>
    public static IServiceCollection AddGrainsSqlite(this IServiceCollection services, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddGrainsSqliteDatabase(configure);
        services.AddSingleton<SqliteGrainStorage>();
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<SqliteGrainStorage>());
        services.AddSingleton<SqliteStreamLog>();
        services.AddSingleton<IStreamLog>(sp => sp.GetRequiredService<SqliteStreamLog>());
        services.AddSingleton<SqliteReminderTable>();
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<SqliteReminderTable>());
        return services;
    }
}
