namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Every issue route exists twice, as Sentry's do: <c>/issues/{id}/…</c> and
/// <c>/organizations/{org}/issues/{id}/…</c>; the second also checks the issue belongs to the organization.
/// </summary>
internal static class IssueRoutes
{
    public static IEnumerable<RouteGroupBuilder> Groups(RouteGroupBuilder api) =>
        [api.MapGroup("/issues/{id}"), api.MapGroup("/organizations/{org}/issues/{id}")];

    /// <summary>The organization slug in the path, or null on the unscoped routes.</summary>
    public static string? Organization(HttpContext http) => http.GetRouteValue("org") as string;

    public static Task<IssueContext> ResolveAsync(HttpContext http, ApiDirectory directory, string id) =>
        directory.IssueAsync(Organization(http), id, http.RequestAborted);
}
