using System.Net;
using System.Net.Sockets;
using Grains.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grains.Postgres.Tests;

/// <summary>
/// A silo in this process on loopback ports, configured only through <see cref="PostgresSiloBuilderExtensions"/>
/// on the given database: clustering, grain storage "Default" and reminders on PostgreSQL.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>Builds and starts a silo; the schema migration runs as part of its start.</summary>
    public static async Task<TestSilo> StartAsync(string connectionString, string serviceId = "grains-test", Action<OrleansPostgresOptions>? configure = null)
    {
        var silo = Create(connectionString, serviceId, configure);
        await silo._host.StartAsync();
        return silo;
    }

    /// <summary>Builds a silo without starting it (to start several at once).</summary>
    public static TestSilo Create(string connectionString, string serviceId = "grains-test", Action<OrleansPostgresOptions>? configure = null)
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
        return new TestSilo(builder.Build());
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
    /// Crash: the stop is cancelled before it begins, which is how Orleans' own test cluster kills a
    /// silo (no graceful leave, no deactivation); then the host is disposed.
    /// </summary>
    public async Task KillAsync()
    {
        _stopped = true;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            await _host.StopAsync(cancelled.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: the stop was cancelled on purpose.
        }

        _host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await KillAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
