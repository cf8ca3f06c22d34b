using Microsoft.AspNetCore.Routing.Template;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// The HTTP methods each API route answers, read from the app's endpoints, so that the API's
/// catch-all can tell a wrong method on an existing route from an unknown path. Sentry (Django REST
/// framework) answers the first with <c>405 {"detail":"Method \"DELETE\" not allowed."}</c> and an
/// <c>Allow</c> header, after authentication; endpoint routing alone would pick the catch-all and answer 404.
/// </summary>
internal sealed class ApiRouteMethods(EndpointDataSource endpoints)
{
    // Django REST framework lists allowed methods in this order (APIView.http_method_names).
    private static readonly string[] MethodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)>> _routes =
        new(() => Load(endpoints), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Sentry's detail for a method the route does not answer.</summary>
    public static string NotAllowedDetail(string method) => $"Method \"{method}\" not allowed.";

    /// <summary>The methods the API routes matching <paramref name="path"/> answer, in Sentry's order; empty for an unknown path.</summary>
    public IReadOnlyList<string> AllowedFor(PathString path)
    {
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (matcher, methods) in _routes.Value)
        {
            if (matcher.TryMatch(path, new RouteValueDictionary()))
            {
                allowed.UnionWith(methods);
            }
        }

        return allowed
            .OrderBy(m => Array.IndexOf(MethodOrder, m) is var i && i < 0 ? MethodOrder.Length : i)
            .ThenBy(m => m, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The answer for a request that reached the API's catch-all: 405 with <c>Allow</c> when the path
    /// is a route that answers other methods, else Sentry's 404.
    /// </summary>
    public IResult NotFoundOrMethodNotAllowed(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var allowed = AllowedFor(http.Request.Path);
        if (allowed.Count == 0)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, ApiException.NotFoundDetail);
        }

        http.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiResults.Error(StatusCodes.Status405MethodNotAllowed, NotAllowedDetail(http.Request.Method));
    }

    private static IReadOnlyList<(TemplateMatcher, IReadOnlyList<string>)> Load(EndpointDataSource endpoints)
    {
        var routes = new List<(TemplateMatcher, IReadOnlyList<string>)>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;

            // Only API routes bound to methods; the catch-all itself (any method) is what this serves.
            if (methods is not { Count: > 0 }
                || pattern.RawText?.StartsWith(SentryApiEndpoints.BasePath, StringComparison.OrdinalIgnoreCase) != true
                || pattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue;
            }

            routes.Add((new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary()), methods.ToArray()));
        }

        return routes;
    }
}
