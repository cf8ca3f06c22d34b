using Grains.Postgres.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;

[assembly: RegisterProvider(PostgresProviderConfiguration.ProviderType, "Clustering", "Silo", typeof(PostgresClusteringProviderBuilder))]

namespace Grains.Postgres.Hosting;

/// <summary>Lets configuration pick <see cref="PostgresSiloBuilderExtensions.UsePostgresClustering"/> (<c>Orleans:Clustering:ProviderType = Postgres</c>).</summary>
internal sealed class PostgresClusteringProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        PostgresProviderConfiguration.Bind(builder.Services, configurationSection);
        builder.UsePostgresClustering();
    }
}
