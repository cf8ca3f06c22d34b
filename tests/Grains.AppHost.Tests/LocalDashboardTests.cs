using System.Net;
using System.Net.Sockets;

namespace Grains.AppHost.Tests;

/// <summary>The dashboard on plain HTTP on loopback unless the environment says otherwise.</summary>
public sealed class LocalDashboardTests
{
    [Fact]
    public void Unset_values_get_loopback_http_and_unsecured_transport()
    {
        var defaults = LocalDashboard.Defaults(_ => null);

        var dashboard = new Uri(defaults["ASPNETCORE_URLS"]);
        var otlp = new Uri(defaults["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]);
        Assert.Equal(("http", "127.0.0.1"), (dashboard.Scheme, dashboard.Host));
        Assert.Equal(("http", "127.0.0.1"), (otlp.Scheme, otlp.Host));
        Assert.NotEqual(dashboard.Port, otlp.Port);
        Assert.True(dashboard.Port >= LocalDashboard.DefaultPort);
        Assert.Equal("true", defaults["ASPIRE_ALLOW_UNSECURED_TRANSPORT"]);
    }

    [Fact]
    public void Values_already_set_win()
    {
        var set = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = "https://localhost:17000",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "https://localhost:17001",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "false",
        };

        Assert.Empty(LocalDashboard.Defaults(name => set.GetValueOrDefault(name)));
    }

    [Fact]
    public void A_taken_dashboard_port_moves_to_a_free_one()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, LocalDashboard.DefaultPort);
        try
        {
            occupant.Start();
        }
        catch (SocketException)
        {
            // Another process holds it: taken either way.
        }

        var dashboard = new Uri(LocalDashboard.Defaults(_ => null)["ASPNETCORE_URLS"]);

        Assert.NotEqual(LocalDashboard.DefaultPort, dashboard.Port);
        Assert.True(FreePorts.IsFree(dashboard.Port));
    }
}
