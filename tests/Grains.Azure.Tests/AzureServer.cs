using Grains.Server;
using Microsoft.AspNetCore.Builder;

namespace Grains.Azure.Tests;

/// <summary>Builds real Grains servers (the production composition root) with test settings.</summary>
internal static class AzureServer
{
    /// <summary>A server on a free loopback port with <paramref name="settings"/>, its data in <paramref name="dataDirectory"/>, no seeding.</summary>
    public static WebApplication Build(string dataDirectory, IReadOnlyDictionary<string, string?> settings) =>
        GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = dataDirectory;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (key, value) in settings)
            {
                builder.Configuration[key] = value;
            }
        });

    /// <summary>Settings for Orleans on Azure tables of <paramref name="connectionString"/>, with tables and service id of their own (<paramref name="prefix"/>) so tests do not share state.</summary>
    public static Dictionary<string, string?> OnAzure(string connectionString, string prefix) => new()
    {
        ["Grains:Storage:Provider"] = "azure",
        ["ConnectionStrings:azure-storage"] = connectionString,
        ["Grains:Storage:Azure:GrainStateTable"] = prefix + "State",
        ["Grains:Storage:Azure:MembershipTable"] = prefix + "Members",
        ["Grains:Storage:Azure:RemindersTable"] = prefix + "Reminders",
        ["Orleans:ServiceId"] = prefix,
        ["Orleans:ClusterId"] = prefix,

        // Free ports: several servers of the test run may be up at once.
        ["Orleans:Endpoints:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
    };

    /// <summary>A name of letters and digits unique to this run (Azure table names allow nothing else).</summary>
    public static string UniquePrefix(string what) => what + Guid.NewGuid().ToString("N")[..10];

    public static string TempDirectory() => Directory.CreateTempSubdirectory("grains-azure-test-").FullName;

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
