using System.Net;
using Grains.Monitoring;
using Grains.Runtime.Cluster;
using Grains.Runtime.Postgres.Cluster;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Grains.Server.Cluster;

/// <summary>
/// Cluster mode of the server: on PostgreSQL every silo is a cluster member (membership and
/// partition leases in the database, silo-to-silo calls on <see cref="ClusterOptions.InternalPort"/>).
/// On SQLite the server stays the single embedded silo.
/// </summary>
public static class ClusterRegistration
{
    /// <summary>How long a graceful stop may take: drain and hand over every partition.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(40);

    /// <summary>Whether the configuration asks for the PostgreSQL (cluster) provider.</summary>
    public static bool IsClusterMode(IConfiguration configuration) =>
        string.Equals(configuration["Grains:Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>Grains:Cluster</c> (a clear error when the secret is missing).</summary>
    public static ClusterOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection("Grains:Cluster").Get<ClusterOptions>() ?? new ClusterOptions();
        if (string.IsNullOrEmpty(options.Secret) || options.Secret.Length < 16)
        {
            throw new InvalidOperationException("Cluster mode (Grains:Storage:Provider=postgres) needs Grains:Cluster:Secret, at least 16 characters, the same on every silo.");
        }

        return options;
    }

    /// <summary>Before <c>AddGrains</c>: the cluster directory and the silo-to-silo transport; Kestrel listens on the public URL and the internal port.</summary>
    public static void AddClusterTransport(WebApplicationBuilder builder, ClusterOptions cluster, string publicUrl)
    {
        builder.Services.AddGrainsClusterTransport(cluster, transport => transport.SerializerContexts.Add(MonitoringGrainJsonContext.Default));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Explicit endpoints replace the configured URLs, so the public one is listened on here too.
            ListenUrl(kestrel, publicUrl);
            kestrel.ListenGrainsCluster(cluster);
        });
    }

    /// <summary>After <c>AddGrains</c>: membership and partition leases (so partitions arrive after the silo started and leave before it stops).</summary>
    public static void AddClusterMembership(WebApplicationBuilder builder, ClusterOptions cluster)
    {
        builder.Services.AddGrainsPostgresCluster(cluster);
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
    }

    private static void ListenUrl(KestrelServerOptions kestrel, string url)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"Grains:Url must be an http:// URL in cluster mode (TLS terminates in front of the silos): {url}");
        }

        if (uri.Host is "localhost")
        {
            kestrel.ListenLocalhost(uri.Port);
        }
        else if (IPAddress.TryParse(uri.Host, out var address))
        {
            kestrel.Listen(address, uri.Port);
        }
        else
        {
            kestrel.ListenAnyIP(uri.Port);
        }
    }
}
