using System.Text.Json.Nodes;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.RateLimits;
using Grains.Server.Api.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains.Server.Api;

/// <summary>
/// Sentry's web API (<c>/api/0/…</c>) over the grains and the query store: every route requires a
/// bearer token, answers Sentry's JSON shapes, and turns bad input into a 4xx with a <c>detail</c>.
/// Routes are written with a trailing slash, as Sentry's are; routing matches them without it too.
/// </summary>
public static class SentryApiEndpoints
{
    /// <summary>The API's base path.</summary>
    public const string BasePath = "/api/0";

    // Grains has no per-token scopes: every token may do everything, so it reports Sentry's full set.
    private static readonly string[] Scopes =
        ["org:read", "org:write", "org:admin", "project:read", "project:write", "project:admin", "event:read", "event:write", "event:admin", "member:read", "team:read"];

    /// <summary>Maps the REST API.</summary>
    public static IEndpointRouteBuilder MapSentryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath)
            .AddEndpointFilter<ApiErrorFilter>()
            .AddEndpointFilter<TokenAuthFilter>()
            .AddEndpointFilter<ApiPermissionFilter>();

        api.MapGet("/", Index);
        OrganizationEndpoints.Map(api);
        MemberEndpoints.Map(api);
        ApiTokenEndpoints.Map(api);
        ProjectEndpoints.Map(api);
        Filters.FilterEndpoints.Map(api);
        Keys.KeyEndpoints.Map(api);
        RateLimitEndpoints.Map(api);
        Rules.RuleEndpoints.Map(api);
        Plugins.PluginEndpoints.Map(api);
        Plugins.AlertDeliveryEndpoints.Map(api);
        IssueListEndpoints.Map(api);
        foreach (var issue in IssueRoutes.Groups(api))
        {
            IssueEndpoints.Map(issue);
            EventEndpoints.MapIssue(issue);
            TagEndpoints.Map(issue);
            ActivityEndpoints.Map(issue);
        }

        Releases.ReleaseEndpoints.Map(api);

        EventEndpoints.MapProject(api);
        Stats.StatsEndpoints.Map(api);
        Internal.RuntimeEndpoints.Map(api);

        // Unknown API paths get Sentry's JSON 404 (after authentication, like every API route) instead of an
        // empty body; a known path with a method it does not answer gets Sentry's 405 with Allow.
        api.Map("/{**path}", static (HttpContext http, ApiRouteMethods routes) => routes.NotFoundOrMethodNotAllowed(http));
        endpoints.MapItemEndpoints();
        return endpoints;
    }

    /// <summary>
    /// Sentry's API root, which tools such as <c>sentry-cli info</c> call to check a token: the API
    /// version and the token's scopes (a Grains token may do everything).
    /// </summary>
    private static IResult Index() => ApiResults.Json(
        new JsonObject
        {
            ["version"] = "0",
            ["auth"] = new JsonObject { ["scopes"] = new JsonArray(Scopes.Select(s => (JsonNode?)s).ToArray()) },
            ["user"] = null,
        },
        ApiJsonContext.Default.JsonObject);

    /// <summary>Registers the API's services (token authentication, lookups, URLs).</summary>
    public static IServiceCollection AddSentryApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<ApiDirectory>();
        services.AddSingleton<ApiAccess>();
        services.AddHttpContextAccessor();
        services.AddSingleton<ApiUrls>();
        services.AddSingleton<ApiRouteMethods>();
        services.AddSingleton<ApiLog>();
        services.AddSingleton<ProjectGrouping>();
        services.AddSingleton<Keys.ProjectKeyCommands>();
        services.AddSingleton<Rules.RuleCommands>();
        services.AddSingleton<Stats.StatsReader>();
        return services;
    }
}
