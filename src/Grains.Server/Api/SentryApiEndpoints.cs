using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Api;

/// <summary>Sentry's web API (<c>/api/0/…</c>) over the grains and the query store.</summary>
public static class SentryApiEndpoints
{
    /// <summary>Maps the REST API.</summary>
    public static IEndpointRouteBuilder MapSentryApi(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Registers the API's services (token authentication, serializers).</summary>
    public static IServiceCollection AddSentryApi(this IServiceCollection services) => services;
}
