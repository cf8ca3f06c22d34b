using Grains.Runtime.Configuration;
using Grains.Runtime.Partitioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains.Runtime.Cluster;

/// <summary>Registers and exposes the silo-to-silo transport.</summary>
public static class ClusterTransportExtensions
{
    /// <summary>
    /// Makes the silo a cluster member's runtime: a <see cref="ClusterPartitionDirectory"/> (filled by
    /// the membership service) and HTTP/2 calls to the owners of other partitions.
    /// </summary>
    public static IServiceCollection AddGrainsClusterTransport(this IServiceCollection services, ClusterOptions options, Action<ClusterTransportOptions>? configure = null)
    {
        var transport = new ClusterTransportOptions();
        configure?.Invoke(transport);
        services.TryAddSingleton(options);
        services.AddSingleton(transport);
        services.Replace(ServiceDescriptor.Singleton<IPartitionDirectory>(sp =>
            new ClusterPartitionDirectory(sp.GetRequiredService<GrainsOptions>()) { LocalAddress = options.AdvertisedAddress }));
        services.TryAddSingleton(sp => (ClusterPartitionDirectory)sp.GetRequiredService<IPartitionDirectory>());
        services.TryAddSingleton<GrainMethodCatalog>();
        services.TryAddSingleton<GrainCallCodec>();
        services.TryAddSingleton(new ClusterSecret(options));
        services.TryAddSingleton<IRemoteGrainInvoker, HttpRemoteGrainInvoker>();
        services.TryAddSingleton<ClusterCallEndpoint>();
        return services;
    }

    /// <summary>Listens on the internal port (HTTP/2 only, all interfaces) for silo-to-silo calls.</summary>
    public static KestrelServerOptions ListenGrainsCluster(this KestrelServerOptions kestrel, ClusterOptions options)
    {
        kestrel.ListenAnyIP(options.InternalPort, listen => listen.Protocols = HttpProtocols.Http2);
        return kestrel;
    }

    /// <summary>Maps the call endpoint, reachable only on the internal port.</summary>
    public static IEndpointConventionBuilder MapGrainsCluster(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<ClusterOptions>();
        return endpoints
            .MapPost(HttpRemoteGrainInvoker.CallPath, (HttpContext context) => context.RequestServices.GetRequiredService<ClusterCallEndpoint>().HandleAsync(context))
            .RequireHost($"*:{options.InternalPort}")
            .ExcludeFromDescription();
    }
}
