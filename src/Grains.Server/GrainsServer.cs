using Grains.Monitoring.Issues;
using Grains.Monitoring.Projects;
using Grains.Runtime.Cluster;
using Grains.Runtime.Hosting;
using Grains.Server.Api;
using Grains.Server.Cluster;
using Grains.Server.Ingest;
using Grains.Server.Logging;
using Grains.Server.Pipeline;
using Grains.Server.Seeding;
using Grains.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grains.Server;

/// <summary>The composition root of a Grains server: silo, storage, ingest edge, REST API.</summary>
public static class GrainsServer
{
    /// <summary>The floor of thread-pool worker threads (see <see cref="Build"/>).</summary>
    public const int MinWorkerThreads = 64;

    /// <summary>Builds the server. <paramref name="configure"/> may change services and configuration before it is built (tests).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // SQLite reads are synchronous (Microsoft.Data.Sqlite has no truly async I/O), so under a burst at
        // start every pool thread can be busy in one; the pool then adds threads only every ~0.5 s and
        // ingest stalls for seconds. A higher floor of worker threads avoids that starvation.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);

        var builder = WebApplication.CreateBuilder(args);
        ServerDefaults.AddTo(builder.Configuration);
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection("Grains").Get<GrainsServerOptions>() ?? new GrainsServerOptions();
        // A cluster silo listens on Grains:Url and its internal port explicitly (ClusterRegistration).
        var cluster = ClusterRegistration.IsClusterMode(builder.Configuration) ? ClusterRegistration.ReadOptions(builder.Configuration) : null;
        if (cluster is null && string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(options.Url);
        }

        builder.Services.AddSingleton(options);
        builder.AddServiceDefaults();
        if (cluster is not null)
        {
            ClusterRegistration.AddClusterTransport(builder, cluster, options.Url);
        }

        builder.AddGrainsStorage(options);
        builder.Services.AddGrains(silo => silo
            .AddGrainAssembly(typeof(IssueGrain).Assembly)
            .Configure(runtime => builder.Configuration.GetSection("Grains:Runtime").Bind(runtime)));
        if (cluster is not null)
        {
            ClusterRegistration.AddClusterMembership(builder, cluster);
        }

        builder.Services.AddSingleton<ProjectChangeNotifier>();
        builder.Services.AddIngestEdge();
        builder.Services.AddHostedService<IngestWarmup>(); // before stream delivery starts (Silo.StartedAsync)
        builder.Services.AddSentryApi();
        if (options.Seed)
        {
            builder.Services.AddSingleton<FirstStartSeeder>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<FirstStartSeeder>());
            builder.Services.AddHealthChecks().AddCheck<SeedingHealthCheck>("seed");
        }

        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");

        builder.Services.RedactLogs(); // last: wraps every logger provider added above
        var app = builder.Build();
        app.UseIngestEdge();
        app.MapDefaultEndpoints();
        app.MapSentryApi();
        if (cluster is not null)
        {
            app.MapGrainsCluster();
        }

        return app;
    }
}
