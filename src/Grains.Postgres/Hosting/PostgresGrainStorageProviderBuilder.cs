using Grains.Postgres.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;

[assembly: RegisterProvider(PostgresProviderConfiguration.ProviderType, "GrainStorage", "Silo", typeof(PostgresGrainStorageProviderBuilder))]

namespace Grains.Postgres.Hosting;

/// <summary>Lets configuration pick <see cref="PostgresSiloBuilderExtensions.AddPostgresGrainStorage"/> (<c>Orleans:GrainStorage:{name}:ProviderType = Postgres</c>).</summary>
internal sealed class PostgresGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        PostgresProviderConfiguration.Bind(builder.Services, configurationSection);
        builder.AddPostgresGrainStorage(string.IsNullOrEmpty(name) ? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME : name);
    }
}
