using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;

namespace Grains.Server.Tests.Storage;

/// <summary>A real server with <c>Grains:Storage:Provider=postgres</c> (a one-silo cluster) on loopback ports.</summary>
internal static class PostgresServer
{
    public const string ClusterSecret = "server-tests-cluster-secret-0123456789";

    /// <summary>Builds (does not start) a server on the database <paramref name="connectionString"/>.</summary>
    public static (WebApplication App, string Url) Build(string connectionString, string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var app = GrainsServer.Build(["--urls", url], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = dataDirectory;
            builder.Configuration["Grains:Url"] = url;
            builder.Configuration["Grains:Storage:Provider"] = "postgres";
            builder.Configuration["ConnectionStrings:grains"] = connectionString;
            builder.Configuration["Grains:Cluster:Secret"] = ClusterSecret;
            builder.Configuration["Grains:Cluster:InternalPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration["Grains:Cluster:RefreshInterval"] = "00:00:00.250";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.Configuration[key] = value;
            }
        });
        return (app, url);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <paramref name="count"/> free ports, all different: each is held until all are chosen, because one
    /// port released and asked for again can come back (two silos of one test once got the same silo port,
    /// and Orleans then took the older one for a stale clone of the newer and stopped the process).
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
