using System.Net;
using System.Net.Sockets;
using Grains.Postgres.Hosting;
using Grains.Postgres.TestSilo.TestGrains;
using Grains.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Grains.Postgres.Tests;

[Collection(nameof(PostgresClusterTests))]
public sealed class PostgresProviderConfigurationTests
{
    [Fact]
    public async Task Configuration_with_provider_type_Postgres_picks_clustering_storage_and_reminders_on_the_named_connection()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The shape Aspire writes: provider types per capability and a connection by name.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:grainsdb"] = database,
            ["Orleans:ClusterId"] = "from-config",
            ["Orleans:ServiceId"] = "from-config",
            ["Orleans:Clustering:ProviderType"] = "Postgres",
            ["Orleans:Clustering:ConnectionName"] = "grainsdb",
            ["Orleans:GrainStorage:Default:ProviderType"] = "Postgres",
            ["Orleans:GrainStorage:Default:ConnectionName"] = "grainsdb",
            ["Orleans:Reminders:ProviderType"] = "Postgres",
            ["Orleans:Reminders:ConnectionName"] = "grainsdb",
            ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
            ["Orleans:Endpoints:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.UseOrleans();
        var host = builder.Build();

        await host.StartAsync();
        try
        {
            var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
            Assert.Equal(OrleansPostgresOptions.DefaultProbeTimeout, membership.ProbeTimeout);
            Assert.Equal(OrleansPostgresOptions.DefaultTableRefreshTimeout, membership.TableRefreshTimeout);
            Assert.Equal(4, await Sql.ScalarAsync(database, "SELECT count(*) FROM grains_component_schema WHERE component = 'orleans'"));
            Assert.Equal(1, await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = 'from-config' AND status = 3"));

            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>("Default");
            await storage.WriteStateAsync("s", GrainId.Create("config", "1"), new GrainState<string>("written"));
            Assert.Equal(1, await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansstorage WHERE serviceid = 'from-config'"));
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IReminderProbeGrain>("config").RegisterAsync("later", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
            Assert.Equal(1, await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansreminderstable WHERE serviceid = 'from-config' AND remindername = 'later'"));
        }
        finally
        {
            // Disposed without a graceful stop: quicker, and the database is thrown away anyway.
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
