using System.Net;
using System.Net.Sockets;
using Grains.Monitoring.Events;
using Grains.Server.Storage;
using Grains.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Grains.Server.Silo;

/// <summary>
/// Hosts the Orleans silo in the server's process (<c>UseOrleans</c>): identity and endpoints, the
/// timings of <see cref="SiloDefaults"/>, and the providers of the configured storage
/// (<see cref="StorageRegistration"/>).
/// </summary>
public static class SiloRegistration
{
    /// <summary>
    /// Adds the silo. Embedded (SQLite): one silo, localhost clustering on a free loopback port, no
    /// gateway. Cluster (PostgreSQL, or Azure tables): Orleans membership in that storage, endpoints from
    /// <c>Orleans:Endpoints</c> (<c>SiloPort</c>, <c>GatewayPort</c>, <c>AdvertisedIPAddress</c>).
    /// Identity from <c>Orleans:ServiceId</c> and <c>Orleans:ClusterId</c> (default <see cref="SiloDefaults.ServiceId"/>).
    /// </summary>
    public static WebApplicationBuilder AddGrainsSilo(this WebApplicationBuilder builder, GrainsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var configuration = builder.Configuration;
        var serviceId = configuration["Orleans:ServiceId"] is { Length: > 0 } service ? service : SiloDefaults.ServiceId;
        var clusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } cluster ? cluster : SiloDefaults.ClusterId;
        var embedded = StorageRegistration.Provider(options) == GrainsStorageOptions.Sqlite;
        var memory = ValidatedOptions.Check(
            configuration.GetSection(SiloMemoryOptions.Section).Get<SiloMemoryOptions>() ?? new SiloMemoryOptions(),
            new SiloMemoryOptionsValidator());
        builder.UseOrleans(silo =>
        {
            // Embedded: localhost clustering on a free port, unless the configuration declares the
            // clustering (the Aspire AppHost declares Orleans' development clustering for its one silo).
            if (embedded && !configuration.Declares("Orleans:Clustering"))
            {
                var siloPort = Port(configuration, "SiloPort") ?? FreeLoopbackPort();
                silo.UseLocalhostClustering(siloPort, gatewayPort: Port(configuration, "GatewayPort") ?? 0, serviceId: serviceId, clusterId: clusterId);
            }
            else
            {
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("POD_NAME")))
                {
                    // In a pod: silo name and advertised address from the pod, and silos of deleted pods
                    // declared dead at once (faster than probes on a rollout). Membership stays where it was configured.
                    silo.UseKubernetesHosting();
                }

                silo.Configure<ClusterOptions>(ids =>
                {
                    ids.ServiceId = serviceId;
                    ids.ClusterId = clusterId;
                });
                silo.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.SiloPort = Port(configuration, "SiloPort") ?? SiloDefaults.SiloPort;
                    endpoints.GatewayPort = Port(configuration, "GatewayPort") ?? SiloDefaults.GatewayPort;
                    if (configuration["Orleans:Endpoints:AdvertisedIPAddress"] is { Length: > 0 } advertised)
                    {
                        endpoints.AdvertisedIPAddress = IPAddress.Parse(advertised);
                    }
                });
            }

            silo.AddOutgoingGrainCallFilter(new StreamDeliveryLimiter(SiloDefaults.MaxConcurrentDeliveries));

            // Grain state in Orleans' own serialization (Orleans' default for storage is JSON with .NET
            // type names): field ids and [Alias]es let a rolling upgrade, or a renamed class, read what the
            // previous version stored.
            silo.Services.Replace(ServiceDescriptor.Singleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>());
            silo.AddActivityPropagation();
            silo.AddGrainsDashboard();
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = SiloDefaults.ResponseTimeout);
            silo.Configure<GrainCollectionOptions>(collection =>
            {
                collection.CollectionAge = SiloDefaults.CollectionAge;
                collection.CollectionQuantum = SiloDefaults.CollectionQuantum;
            });
            silo.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = memory.DirectoryCacheSize);
            // The ingest stream's agents forget idle issue streams after this (configurable; the stream package's
            // default otherwise): one record per issue stream is what a flood of new issues grows.
            silo.Services.AddOptions<DurableLogStreamOptions>(IngestStream.ProviderName)
                .Configure(stream => stream.StreamInactivityPeriod = memory.StreamInactivityPeriod);
            silo.Services.AddOptions<SiloMemoryOptions>().BindConfiguration(SiloMemoryOptions.Section).ValidateOnStart();
            silo.Services.AddSingleton<IValidateOptions<SiloMemoryOptions>, SiloMemoryOptionsValidator>();
            if (memory.MaxIssueActivations > 0)
            {
                // One instance is the working-set observer (activations added and gone), the incoming call
                // filter (last use, calls running) and the loop that sheds over the cap.
                silo.Services.AddSingleton<IssueActivationBudget>();
                silo.Services.AddSingleton<IActivationWorkingSetObserver>(sp => sp.GetRequiredService<IssueActivationBudget>());
                silo.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<IssueActivationBudget>());
                silo.Services.AddHostedService(sp => sp.GetRequiredService<IssueActivationBudget>());
            }

            silo.AddGrainsStorage(builder.Configuration, options);
        });
        return builder;
    }

    private static int? Port(IConfiguration configuration, string name) =>
        configuration[$"Orleans:Endpoints:{name}"] is { Length: > 0 } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    // The embedded silo's port only has to be free: nothing but the silo itself uses it. A fixed port
    // would stop two servers (or two test hosts) on one machine.
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
