using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains.Persistence.Sqlite;

/// <summary>Creates a named <see cref="SqliteGrainStorage"/> over the shared database (the factory Orleans' keyed registration calls).</summary>
public static class SqliteGrainStorageFactory
{
    /// <summary>Creates the provider called <paramref name="name"/> with its named options.</summary>
    public static SqliteGrainStorage Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name);
        return ActivatorUtilities.CreateInstance<SqliteGrainStorage>(
            services,
            name,
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            services.GetRequiredService<SqliteDatabase>(),
            options);
    }
}
