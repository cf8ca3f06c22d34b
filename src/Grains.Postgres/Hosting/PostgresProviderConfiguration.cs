using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grains.Postgres.Hosting;

/// <summary>
/// Reads <see cref="OrleansPostgresOptions"/> from a provider's configuration section (Orleans'
/// <c>Orleans:Clustering</c>, <c>Orleans:GrainStorage:{name}</c> or <c>Orleans:Reminders</c> with
/// <c>ProviderType = Postgres</c>): <c>ConnectionString</c>, or <c>ConnectionName</c> or <c>ServiceKey</c>
/// naming an entry of <c>ConnectionStrings</c> (<c>ServiceKey</c> is what Aspire.Hosting.Orleans writes for
/// a connection-string resource, beside <c>ConnectionStrings:{name}</c>). All three sections configure the one database,
/// so they must name the same one; a section without either key leaves the options as they are.
/// </summary>
internal static class PostgresProviderConfiguration
{
    /// <summary>The provider type name the configuration uses to pick these providers.</summary>
    public const string ProviderType = "Postgres";

    public static void Bind(IServiceCollection services, IConfigurationSection section) =>
        services.AddOptions<OrleansPostgresOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            var connectionString = section[nameof(OrleansPostgresOptions.ConnectionString)];
            if (string.IsNullOrEmpty(connectionString) && (section["ConnectionName"] ?? section["ServiceKey"]) is { Length: > 0 } connectionName)
            {
                connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            }

            if (!string.IsNullOrEmpty(connectionString))
            {
                options.ConnectionString = connectionString;
            }
        });
}
