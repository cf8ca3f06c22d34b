using Grains.Server.Accounts;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;token&gt;</c> on every API route, with Django REST
/// framework's bodies and <c>WWW-Authenticate</c> header as Sentry sends them. Tokens are never logged.
/// </summary>
internal sealed partial class TokenAuthFilter(TokenAuthenticator authenticator, ILogger<TokenAuthFilter> logger) : IEndpointFilter
{
    public const string MissingDetail = "Authentication credentials were not provided.";
    public const string InvalidDetail = "Invalid token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return Unauthorized(http, MissingDetail);
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var token = space < 0 ? "" : header[(space + 1)..].Trim();
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || token.Length == 0 || token.Contains(' ', StringComparison.Ordinal))
        {
            LogRejected(logger, http.Request.Method, http.Request.Path, "malformed Authorization header");
            return Unauthorized(http, InvalidDetail);
        }

        var record = await authenticator.AuthenticateAsync(token, http.RequestAborted);
        if (record is null)
        {
            LogRejected(logger, http.Request.Method, http.Request.Path, "unknown token");
            return Unauthorized(http, InvalidDetail);
        }

        // The admin token acts as an owner everywhere; a personal token as its user (ApiAccess checks the role).
        http.User = record.UserId is { } userId ? AccountClaims.ForTokenUser(userId) : AccountClaims.ForAdminToken();
        return await next(context);
    }

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"api\"";
        return ApiResults.Error(StatusCodes.Status401Unauthorized, detail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API request {Method} {Path} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string path, string reason);
}
