using Grains.Server.Accounts;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// The permission each API route requires, in one table (the dashboard's pages ask the same
/// <see cref="Permission"/>s): reads need <see cref="Permission.Read"/>; writes need what their
/// subject needs. A write route not named here needs <see cref="Permission.ManageOrganization"/>
/// (owners only): a new route is closed until it is placed.
/// </summary>
internal static class ApiPermissions
{
    /// <summary>What <paramref name="method"/> on the route <paramref name="pattern"/> (its template, e.g. <c>/api/0/projects/{org}/{project}/keys/</c>) requires.</summary>
    public static Permission Required(string method, string pattern)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pattern);
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            return Permission.Read;
        }

        var route = pattern.StartsWith(SentryApiEndpoints.BasePath, StringComparison.Ordinal) ? pattern[SentryApiEndpoints.BasePath.Length..] : pattern;
        if (!route.EndsWith('/'))
        {
            route += "/";
        }

        return route switch
        {
            // Any user may create an organization (and becomes its owner) and manage their own tokens.
            "/organizations/" or "/api-tokens/" => Permission.Read,
            _ when route.Contains("/members/", StringComparison.Ordinal) => Permission.ManageMembers,
            _ when route.Contains("/rules/", StringComparison.Ordinal) || route.Contains("/alert-deliveries/", StringComparison.Ordinal) => Permission.ManageAlerts,
            _ when route.Contains("/issues/", StringComparison.Ordinal) =>
                HttpMethods.IsDelete(method) ? Permission.ManageProjects : Permission.ActOnIssues,
            _ when route.StartsWith("/organizations/{org}/rate-limits/", StringComparison.Ordinal) => Permission.ManageOrganization,
            _ when route.StartsWith("/projects/{org}/{project}/", StringComparison.Ordinal) => Permission.ManageProjects,
            "/organizations/{org}/projects/" => Permission.ManageProjects,
            _ => Permission.ManageOrganization,
        };
    }

    /// <summary>What the current request's route requires.</summary>
    public static Permission Required(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        return Required(http.Request.Method, pattern.StartsWith('/') ? pattern : "/" + pattern);
    }
}
