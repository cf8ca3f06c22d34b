using System.Net;
using System.Net.Sockets;
using Grains.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grains.Postgres.TestSilo;

/// <summary>
/// A silo in this process on loopback ports, configured only through <see cref="PostgresSiloBuilderExtensions"/>
/// on the given database: clustering, grain storage "Default" and reminders on PostgreSQL, nothing else.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private InProcessSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>Builds and starts a silo; the schema migration runs as part of its start.</summary>
    public static async Task<InProcessSilo> StartAsync(string connectionString, string serviceId = "grains-test", Action<OrleansPostgresOptions>? configure = null)
    {
        var silo = Create(connectionString, serviceId, configure);
        await silo._host.StartAsync();
        return silo;
    }

    /// <summary>Builds a silo without starting it (to start several at once).</summary>
    public static InProcessSilo Create(string connectionString, string serviceId = "grains-test", Action<OrleansPostgresOptions>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(o => { o.ClusterId = serviceId; o.ServiceId = serviceId; })
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false)
            .UseOrleansPostgres(o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            })
            // Orleans refuses periods under a minute by default; a test cannot wait that long.
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));
        return new InProcessSilo(builder.Build());
    }

    public Task StartAsync() => _host.StartAsync();

    /// <summary>Graceful stop: the silo leaves the cluster and deactivates its grains.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>
    /// Disposes the host without stopping it (quick clean-up). Orleans still leaves the cluster when
    /// its services are disposed (the row is marked Dead at once), so this is no crash: tests of failure
    /// detection kill a silo process instead (<c>Program.cs</c>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await ((IAsyncDisposable)_host).DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
