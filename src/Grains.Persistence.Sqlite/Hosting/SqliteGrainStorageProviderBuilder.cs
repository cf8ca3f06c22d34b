using Grains.Persistence.Sqlite.Hosting;
using Grains.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

// Lets configuration choose the provider: Orleans:GrainStorage:<name>:ProviderType = "Sqlite".
[assembly: RegisterProvider("Sqlite", "GrainStorage", "Silo", typeof(SqliteGrainStorageProviderBuilder))]

namespace Grains.Persistence.Sqlite.Hosting;

/// <summary>
/// Builds a <see cref="SqliteGrainStorage"/> from a configuration section
/// (<c>Orleans:GrainStorage:&lt;name&gt;</c>): <c>DeleteStateOnClear</c>, <c>SerializerKey</c> (a
/// keyed <see cref="IGrainStorageSerializer"/>), and optionally <c>DataSource</c> for the shared database.
/// </summary>
internal sealed class SqliteGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        var dataSource = configurationSection[nameof(SqliteStorageOptions.DataSource)];
        if (!string.IsNullOrWhiteSpace(dataSource))
        {
            builder.Services.AddGrainsSqliteDatabase(o => o.DataSource = dataSource);
        }

        builder.AddSqliteGrainStorage(name ?? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, optionsBuilder => optionsBuilder.Configure<IServiceProvider>((options, services) =>
        {
            if (bool.TryParse(configurationSection[nameof(options.DeleteStateOnClear)], out var delete))
            {
                options.DeleteStateOnClear = delete;
            }

            var serializerKey = configurationSection["SerializerKey"];
            if (!string.IsNullOrEmpty(serializerKey))
            {
                options.GrainStorageSerializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(serializerKey);
            }
        }));
    }
}
