using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every Grains host uses (the .NET Aspire shape): OpenTelemetry traces, metrics
/// and logs for the <c>Grains.*</c> sources, ASP.NET Core and HttpClient; health checks; and the
/// <c>/health</c> (ready) and <c>/alive</c> (live) endpoints.
/// </summary>
public static class Extensions
{
    /// <summary>The health-check tag of checks that say the process is alive (not necessarily ready).</summary>
    public const string LiveTag = "live";

    /// <summary>Adds OpenTelemetry and the default health checks.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Wires the OpenTelemetry SDK. OpenTelemetry.Extensions.Hosting is not available to this build,
    /// so the providers are built here and started/flushed by <see cref="TelemetryLifetime"/>. The
    /// OTLP exporter is added only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Grains.*", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore", "System.Net.Http");
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Grains.*", "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime");
        if (otlp)
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (otlp)
            {
                logging.AddOtlpExporter();
            }
        });

        builder.Services.AddSingleton(new TelemetryLifetime(tracing.Build(), metrics.Build()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryLifetime>());
        return builder;
    }

    /// <summary>Maps <c>/health</c> (every check must pass: ready) and <c>/alive</c> (only live checks).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteStatus });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = WriteStatus });
        return app;
    }

    private static Task WriteStatus(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
