using Grains.Ingestion.Body;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Server.Ingest.Admission;
using Grains.Server.Outcomes;
using Grains.Server.Ingest.Protection;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest;

/// <summary>Registers and mounts the Sentry ingest edge.</summary>
public static class IngestEdgeExtensions
{
    /// <summary>Registers the edge's services (limits, inflation budget, project key cache, issue locator, event pipeline and its steps).</summary>
    public static IServiceCollection AddIngestEdge(this IServiceCollection services)
    {
        services.AddSingleton(IngestLimits.Default);
        services.AddOptions<IngestMemoryOptions>().BindConfiguration(IngestMemoryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestMemoryOptions>, IngestMemoryOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<IngestMemoryOptions>>().Value;
            return new InflationBudget(options.ResolveMaxInflatingBytes(), options.InflationWait, options.RetryAfter, sp.GetService<TimeProvider>());
        });
        services.AddSingleton<IngestInstruments>();
        services.AddHostedService<LargeBufferReclaimer>();
        services.AddSingleton(new EventNormalizer());
        services.AddSingleton<ProjectKeyCache>();
        services.AddEdgeProtection(); // Protection/: client address, inbound filters, per-address guard
        services.AddSingleton<IssueLocator>();
        services.AddSingleton<NormalizeEventStep>();
        services.AddOptions<GroupingCacheOptions>().BindConfiguration(GroupingCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GroupingCacheOptions>, GroupingCacheOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GroupingCacheOptions>>().Value;
            return new ComputeGroupingStep(options.Enabled ? new GroupingCache(options) : null);
        });
        services.AddSingleton<DeriveFactsStep>();
        services.AddSingleton<LocateIssueStep>();
        services.AddSingleton<EncodeStreamItemStep>();
        services.AddSingleton<EventPipeline>();
        services.AddSingleton<ItemRecorder>();
        services.AddOutcomes();
        services.AddRateLimitAdmission();
        return services;
    }

    /// <summary>Mounts the edge ahead of routing: ingest paths never reach the API's routes.</summary>
    public static IApplicationBuilder UseIngestEdge(this IApplicationBuilder app)
    {
        // Resolved here so the edge's metrics are observable from the start.
        app.ApplicationServices.GetRequiredService<IngestInstruments>();
        app.UseMiddleware<ClientGuardMiddleware>(); // Protection/: per-address guard before authentication
        return app.UseMiddleware<IngestMiddleware>();
    }
}
