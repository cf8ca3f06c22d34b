using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Grains.AppHost.Tests.Support;
using Grains.Postgres.Hosting;
using Grains.Server.Silo;
using Orleans;

namespace Grains.AppHost.Tests;

/// <summary>
/// The app model the AppHost's entry point builds (nothing started), against the traps found when
/// wiring Orleans through Aspire (docs/reference §8): each test fails if its trap comes back.
/// </summary>
[Collection(AppHostTestingCollection.Name)]
public sealed class AppModelTests(AppModelTests.Models models) : IClassFixture<AppModelTests.Models>
{
    private const string Clustering = "Orleans__Clustering__ProviderType";
    private const string GrainStorage = "Orleans__GrainStorage__Default__ProviderType";
    private const string Reminders = "Orleans__Reminders__ProviderType";

    [Fact]
    public async Task Cluster_silos_are_told_the_provider_types_Grains_Postgres_registers_for_membership_grain_state_and_reminders()
    {
        // Aspire's default for a plain connection string is "ConnectionString", which no provider
        // registers: the silo died with "Could not find Clustering provider named 'ConnectionString'".
        var registered = typeof(PostgresSiloBuilderExtensions).Assembly.GetCustomAttributes<RegisterProviderAttribute>()
            .Where(a => a.Target == "Silo")
            .ToLookup(a => a.Kind, a => a.Name);
        Assert.NotEmpty(models.Cluster.Silos);
        foreach (var silo in models.Cluster.Silos)
        {
            var environment = await models.Cluster.DeclaredEnvironmentAsync(silo);
            foreach (var (variable, kind) in new[] { (Clustering, "Clustering"), (GrainStorage, "GrainStorage"), (Reminders, "Reminders") })
            {
                var providerType = AppModelUnderTest.Text(environment, variable);
                Assert.NotEqual("ConnectionString", providerType);
                Assert.Contains(providerType, registered[kind]);
            }

            // The providers find the database by the service key: the name of the connection string the silo gets.
            foreach (var variable in new[] { "Orleans__Clustering__ServiceKey", "Orleans__GrainStorage__Default__ServiceKey", "Orleans__Reminders__ServiceKey" })
            {
                Assert.Equal(GrainsAppModel.ConnectionName, AppModelUnderTest.Text(environment, variable));
            }

            Assert.True(environment.ContainsKey($"ConnectionStrings__{GrainsAppModel.ConnectionName}"), $"{silo.Name} gets no connection string '{GrainsAppModel.ConnectionName}'");
            Assert.Equal("postgres", AppModelUnderTest.Text(environment, "Grains__Storage__Provider"));
        }
    }

    [Fact]
    public async Task The_cluster_never_uses_development_clustering_and_the_embedded_model_uses_it_for_exactly_one_silo()
    {
        // Development clustering makes every silo its own primary: two silos would be two one-silo
        // clusters with the same grains active twice ("Version conflict (WriteState)").
        Assert.Equal(3, models.Cluster.Silos.Count);
        foreach (var silo in models.Cluster.Silos)
        {
            Assert.NotEqual("Development", AppModelUnderTest.Text(await models.Cluster.DeclaredEnvironmentAsync(silo), Clustering));
        }

        var embedded = Assert.Single(models.Embedded.Silos);
        Assert.Equal("Development", AppModelUnderTest.Text(await models.Embedded.DeclaredEnvironmentAsync(embedded), Clustering));

        // Nor can the command line ask for more than one silo on development clustering: the entry point refuses before it builds a model.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestAppHost.BuildModelAsync(silos: 2, postgres: false));
        Assert.Contains("without building a DistributedApplication", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_and_cluster_ids_are_pinned_the_same_in_every_build_and_equal_to_the_silo_defaults()
    {
        // Unpinned, Aspire generates new ids per run, and grain state (keyed by the service id) of the previous run is not found.
        await using var again = await TestAppHost.BuildModelAsync(silos: 1, postgres: false);
        var builds = new[] { models.Embedded, again, models.Cluster };
        foreach (var build in builds)
        {
            foreach (var silo in build.Silos)
            {
                var environment = await build.DeclaredEnvironmentAsync(silo);
                Assert.Equal(SiloDefaults.ServiceId, AppModelUnderTest.Text(environment, "Orleans__ServiceId"));
                Assert.Equal(SiloDefaults.ClusterId, AppModelUnderTest.Text(environment, "Orleans__ClusterId"));
            }
        }

        Assert.Equal(GrainsAppModel.OrleansId, SiloDefaults.ServiceId);
        Assert.Equal(GrainsAppModel.OrleansId, SiloDefaults.ClusterId);
    }

    [Fact]
    public async Task Every_silo_advertises_loopback_listens_on_its_own_silo_port_and_has_its_own_unproxied_http_port()
    {
        var silos = models.Cluster.Silos;
        var httpPorts = new List<int>();
        var siloEndpoints = new List<EndpointReference>();
        foreach (var silo in silos)
        {
            var environment = await models.Cluster.DeclaredEnvironmentAsync(silo);
            // Orleans advertises the machine's first non-loopback address otherwise (on a laptop it changes, or is firewalled).
            Assert.Equal("127.0.0.1", AppModelUnderTest.Text(environment, "Orleans__Endpoints__AdvertisedIPAddress"));

            // The silo port is the silo's own endpoint (DCP allocates its number at start; the cluster test reads the numbers the processes got).
            var siloPort = Assert.IsType<EndpointReferenceExpression>(environment["Orleans__Endpoints__SiloPort"]);
            Assert.Same(silo, siloPort.Endpoint.Resource);
            siloEndpoints.Add(siloPort.Endpoint);

            // Ingest, API and health on the silo's own port, no DCP proxy in between (a test or an operator reaches and stops one silo).
            var http = Assert.Single(silo.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");
            Assert.False(http.IsProxied, $"{silo.Name}'s http endpoint is proxied");
            Assert.NotNull(http.Port);
            Assert.Equal(http.Port, http.TargetPort);
            Assert.Equal($"http://127.0.0.1:{http.Port}", AppModelUnderTest.Text(environment, "Grains__Url"));
            httpPorts.Add(http.Port.Value);
        }

        Assert.Equal(silos.Count, httpPorts.Distinct().Count());
        Assert.Equal(silos.Count, siloEndpoints.Select(e => (e.Resource.Name, e.EndpointName)).Distinct().Count());
    }

    /// <summary>The models the tests read, built once: three silos on PostgreSQL, and the embedded default.</summary>
    public sealed class Models : IAsyncLifetime
    {
        private AppModelUnderTest? _cluster;
        private AppModelUnderTest? _embedded;

        internal AppModelUnderTest Cluster => _cluster ?? throw new InvalidOperationException("not built");

        internal AppModelUnderTest Embedded => _embedded ?? throw new InvalidOperationException("not built");

        public async Task InitializeAsync()
        {
            // One at a time: the testing builder intercepts the entry point's builder through a process-wide listener.
            _cluster = await TestAppHost.BuildModelAsync(silos: 3, postgres: true);
            _embedded = await TestAppHost.BuildModelAsync(silos: 1, postgres: false);
        }

        public async Task DisposeAsync()
        {
            if (_embedded is not null)
            {
                await _embedded.DisposeAsync();
            }

            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }
}
