using System.Net;
using System.Net.Sockets;
using Grains.Runtime;
using Grains.Runtime.Cluster;
using Grains.Runtime.Hosting;
using Grains.Runtime.Postgres;
using Grains.Runtime.Postgres.Cluster;
using Grains.Runtime.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Cluster.Tests;

/// <summary>One silo of an in-process cluster: a web host with the internal port on loopback, the test grains, one PostgreSQL database.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string Secret = "test-cluster-secret-0123456789";
    private bool _stopped;

    private TestSilo(WebApplication app, ClusterOptions options)
    {
        App = app;
        Options = options;
    }

    public WebApplication App { get; }

    public ClusterOptions Options { get; }

    public string Address => Options.AdvertisedAddress;

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    public IStreamProducer Streams => App.Services.GetRequiredService<IStreamProducer>();

    public IClusterMembership Membership => App.Services.GetRequiredService<IClusterMembership>();

    public static async Task<TestSilo> StartAsync(string connectionString, int partitionCount, string? secret = null)
    {
        var options = new ClusterOptions
        {
            InternalPort = FreePort(),
            AdvertisedHost = "127.0.0.1",
            Secret = secret ?? Secret,
            RefreshInterval = TimeSpan.FromMilliseconds(250),
            SiloDeadAfter = TimeSpan.FromSeconds(10),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // GRAINS_TEST_LOG=Information shows membership and hand-over logs with timestamps.
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("GRAINS_TEST_LOG") ?? "Warning"));
        builder.Services.AddGrainsPostgres(o => o.ConnectionString = connectionString);
        builder.Services.AddGrainsClusterTransport(options);
        builder.Services.AddGrains(silo => silo
            .AddGrainAssembly(typeof(ProbeGrain).Assembly)
            .Configure(runtime =>
            {
                runtime.PartitionCount = partitionCount;
                runtime.ResponseTimeout = TimeSpan.FromSeconds(30);
                runtime.Streams.EmptyPollInterval = TimeSpan.FromMilliseconds(20);
            }));
        builder.Services.AddGrainsPostgresCluster(options);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrainsCluster(options));
        var app = builder.Build();
        app.MapGrainsCluster();
        await app.StartAsync();
        return new TestSilo(app, options);
    }

    /// <summary>Graceful stop: hands its partitions over, then exits.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>Crash: no hand-over; the membership session closes, so the database releases its locks.</summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
