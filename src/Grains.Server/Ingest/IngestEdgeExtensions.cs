using Grains.Ingestion.Limits;
using Grains.Ingestion.Normalization;
using Grains.Server.Pipeline;
using Grains.Server.Pipeline.Steps;

namespace Grains.Server.Ingest;

/// <summary>Registers and mounts the Sentry ingest edge.</summary>
public static class IngestEdgeExtensions
{
    /// <summary>Registers the edge's services (limits, project key cache, issue locator, event pipeline and its steps).</summary>
    public static IServiceCollection AddIngestEdge(this IServiceCollection services)
    {
        services.AddSingleton(IngestLimits.Default);
        services.AddSingleton(new EventNormalizer());
        services.AddSingleton<ProjectKeyCache>();
        services.AddSingleton<IssueLocator>();
        services.AddSingleton<NormalizeEventStep>();
        services.AddSingleton<ComputeGroupingStep>();
        services.AddSingleton<DeriveFactsStep>();
        services.AddSingleton<LocateIssueStep>();
        services.AddSingleton<EncodeStreamItemStep>();
        services.AddSingleton<EventPipeline>();
        services.AddSingleton<ItemRecorder>();
        return services;
    }

    /// <summary>Mounts the edge ahead of routing: ingest paths never reach the API's routes.</summary>
    public static IApplicationBuilder UseIngestEdge(this IApplicationBuilder app) => app.UseMiddleware<IngestMiddleware>();
}
