using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every Grains host uses, in the .NET Aspire shape: OpenTelemetry (traces,
/// metrics and logs of ASP.NET Core, HttpClient, the runtime, Orleans and the <c>Grains.*</c>
/// sources), health checks, service discovery and standard resilience for outgoing HTTP; and the
/// <c>/health</c> (ready) and <c>/alive</c> (live) endpoints.
/// </summary>
public static class Extensions
{
    /// <summary>The health-check tag of checks that say the process is alive (not necessarily ready).</summary>
    public const string LiveTag = "live";

    /// <summary>The readiness endpoint: every registered check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>The liveness endpoint: only the checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Every activity source and meter of Grains' own subsystems (<c>Grains.Pipeline</c>, <c>Grains.Streaming</c>, <c>Grains.Sqlite</c>, …).</summary>
    public const string GrainsInstrumentation = "Grains.*";

    /// <summary>Orleans' meter (grain, messaging, stream and storage instruments).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Orleans' activity sources: runtime grain calls (stream delivery, membership), application
    /// grain calls (grain to grain), both emitted when the silo calls <c>AddActivityPropagation()</c>;
    /// and grain-state reads and writes, which parent the storage provider's own spans
    /// (<c>grains.sqlite.grain_state.write</c>): without them those would hang under a span never exported.
    /// </summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    /// <summary>
    /// The request option (<see cref="HttpRequestMessage.Options"/>) with which an outgoing request gives the
    /// redacted form of its URL for traces (alert deliveries set it: their URLs may carry secrets).
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> RedactedUrlOption = new("grains.redacted-url");

    /// <summary>Adds OpenTelemetry, the default health checks, service discovery and resilient HTTP clients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries, timeouts and a circuit breaker on every HttpClient from the factory (webhook and
            // alert deliveries); endpoints may name a service ("https+http://name") that Aspire resolves.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Wires OpenTelemetry through <c>OpenTelemetry.Extensions.Hosting</c> (the providers start and
    /// flush with the host) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the AppHost sets it for every
    /// silo): traces, metrics and logs, exported over OTLP. Without a collector nothing is collected:
    /// an SDK that samples every request into no exporter would cost the ingest path its spans for
    /// nothing. The service name and resource attributes come from the standard <c>OTEL_*</c> variables.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // The SDK reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (Aspire sets both, the
                // latter with each replica's instance id) and must keep them; without them, the app's name.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(builder.Environment.ApplicationName);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(GrainsInstrumentation)
                .AddSource([.. OrleansActivitySources])
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = static (activity, request) =>
                {
                    // A request that carries a secret in its URL (a Slack webhook's path is its token; a webhook URL
                    // may hold credentials or a token in its query) names its redacted form; the span keeps only that.
                    if (request.Options.TryGetValue(RedactedUrlOption, out var redacted))
                    {
                        activity.SetTag("url.full", redacted);
                    }
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(GrainsInstrumentation, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            // One exporter for traces, metrics and logs; endpoint, protocol and headers from OTEL_EXPORTER_OTLP_*.
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Adds the "self" check (tagged <see cref="LiveTag"/>): the process answers.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <see cref="HealthPath"/> (every check must pass: ready) and <see cref="AlivePath"/> (only live checks).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteStatus });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = WriteStatus });
        return app;
    }

    /// <summary>
    /// Whether a request is a health probe. Orchestrators poll them every few seconds; their spans
    /// would bury the traces of real requests, so ASP.NET Core tracing leaves them out.
    /// </summary>
    public static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(AlivePath, StringComparison.OrdinalIgnoreCase);

    private static Task WriteStatus(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
