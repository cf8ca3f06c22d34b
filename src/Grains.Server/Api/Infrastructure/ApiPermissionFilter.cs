namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Before a route with an <c>{org}</c> runs, checks the token's access to that organization
/// (<see cref="ApiAccess"/>), so a refused write never starts. Routes without one (<c>/issues/{id}/</c>)
/// are checked by <see cref="ApiDirectory"/> once the organization is known.
/// </summary>
internal sealed class ApiPermissionFilter(ApiDirectory directory, ApiAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("org", out var value) && value is string slug)
        {
            // Unknown organizations are left to the endpoint, which answers 404 as before.
            if (await directory.Store.GetOrganizationAsync(slug, http.RequestAborted) is { } organization)
            {
                await access.EnsureAsync(organization, http.RequestAborted);
            }
        }

        return await next(context);
    }
}
