using System.Net.Http.Headers;
using System.Text;
using Grains.Server.Api.Infrastructure;
using Orleans.Dashboard;

namespace Grains.Server.Silo;

/// <summary>
/// Serves the Orleans dashboard (silos, grains, calls, load) under <see cref="PathPrefix"/> to holders
/// of an admin API token only: <c>Authorization: Bearer &lt;token&gt;</c>, or HTTP Basic with the token
/// as password (what a browser sends after the prompt). Anything else gets 401. The dashboard shows
/// grain keys and state, so it is never open.
/// </summary>
public static partial class OrleansDashboardEndpoints
{
    /// <summary>Where the dashboard is served: <c>/orleans</c>.</summary>
    public const string PathPrefix = "/orleans";

    /// <summary>Adds the dashboard's services to the silo.</summary>
    public static ISiloBuilder AddGrainsDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    /// <summary>Maps the dashboard behind the admin-token check.</summary>
    public static WebApplication MapGrainsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(http => http.Request.Path.StartsWithSegments(PathPrefix), branch => branch.Use(async (http, next) =>
        {
            if (Token(http.Request.Headers.Authorization.ToString()) is { } token
                && await http.RequestServices.GetRequiredService<TokenAuthenticator>().AuthenticateAsync(token, http.RequestAborted) is not null)
            {
                await next(http);
                return;
            }

            LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrleansDashboardEndpoints)), http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans dashboard\", charset=\"UTF-8\"";
            await http.Response.WriteAsync("An admin API token is required (Bearer, or Basic with the token as password).", http.RequestAborted);
        }));
        app.MapOrleansDashboard(PathPrefix);
        return app;
    }

    // The token of a Bearer header, or the password of a Basic one; null when there is none.
    private static string? Token(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || string.IsNullOrEmpty(parsed.Parameter))
        {
            return null;
        }

        if (parsed.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return parsed.Parameter;
        }

        if (!parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && colon < credentials.Length - 1 ? credentials[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans dashboard request {Path} rejected: no valid admin token")]
    private static partial void LogRejected(ILogger logger, string path);
}
