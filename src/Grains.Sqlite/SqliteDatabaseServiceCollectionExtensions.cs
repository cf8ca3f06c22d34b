using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Sqlite;

/// <summary>Registers the one shared <see cref="SqliteDatabase"/> of a process.</summary>
public static class SqliteDatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers one singleton <see cref="SqliteDatabase"/> (opened and migrated when first resolved,
    /// disposed with the container) over <see cref="SqliteStorageOptions"/>. Every SQLite provider
    /// calls this; the first registration wins, so they all share one writer (one group-commit queue
    /// per file: two writers on one file would contend for its lock instead of grouping).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, if given (they can also be bound from configuration).</param>
    public static IServiceCollection AddGrainsSqliteDatabase(this IServiceCollection services, Action<SqliteStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        var options = services.AddOptions<SqliteStorageOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new SqliteDatabase(
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteDatabase>>()));
        return services;
    }
}
