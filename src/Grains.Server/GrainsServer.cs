using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Issues;
using Grains.Server.Alerts;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Projects;
using Grains.Server.Api;
using Grains.Server.Dashboard;
using Grains.Server.Ingest;
using Grains.Server.Logging;
using Grains.Server.Seeding;
using Grains.Server.Silo;
using Grains.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using Grains.Server.Workflow;

namespace Grains.Server;

/// <summary>The composition root of a Grains server: silo, storage, ingest edge, REST API.</summary>
public static class GrainsServer
{
    /// <summary>How long a graceful stop may take: the silo hands its stream queues and grains over to the others.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(40);

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

        // The application is Grains.Server wherever it is hosted (tests host it too): static web assets are found by that name.
        // Configuration files are read once, not watched: the watcher covers the content root with its
        // subdirectories, and the default data directory ("data") is one of them, so every SQLite WAL write
        // woke the watcher's thread (3 % of the server's CPU under ingest load, bench/results/ingest.md).
        // An explicit --hostBuilder:reloadConfigOnChange=true later on the command line still wins.
        string[] hostArgs = ["--hostBuilder:reloadConfigOnChange=false", .. args];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ApplicationName = typeof(GrainsServer).Assembly.GetName().Name });
        ServerDefaults.AddTo(builder.Configuration);

        // The dashboard's scripts and styles (its own and MudBlazor's) are static web assets. A published
        // server has them beside it; one run from its build output (dotnet run, the AppHost, tests) finds
        // them through the build's manifest, in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection("Grains").Get<GrainsServerOptions>() ?? new GrainsServerOptions();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(options.Url);
        }

        builder.Services.AddSingleton(options);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<ProjectChangeNotifier>();
        builder.Services.AddIngestEdge();

        // Hosted services start in registration order: the stores and the ingest path are ready
        // before the silo (registered by AddGrainsSilo) starts delivering its streams.
        builder.Services.AddHostedService<StorageWarmup>();
        builder.Services.AddHostedService<IngestWarmup>();
        builder.AddGrainsSilo(options);
        builder.Services.AddHostedService<StreamDeliveryStarter>();
        builder.Services.AddIssueWorkflow(); // the scheduler's reminder is registered once the silo runs
        builder.Services.AddAlertDelivery(builder.Configuration, options); // after the storage (AddGrainsSilo) and the silo's start
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSentryApi();
        builder.Services.AddAlertRules();
        builder.Services.AddWebDashboard();
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
        app.MapGrainsDashboard();
        app.MapWebDashboard();
        return app;
    }
}
