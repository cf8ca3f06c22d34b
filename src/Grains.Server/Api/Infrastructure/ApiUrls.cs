namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// The server's public base URL for DSNs, permalinks and <c>Link</c> headers: the configured
/// <see cref="GrainsServerOptions.PublicUrl"/>, else the scheme and host the request came in on (the
/// listen URL is not used: <c>--urls</c> may override it, and the request host is what the client reached).
/// </summary>
internal sealed class ApiUrls(GrainsServerOptions options)
{
    private readonly string? _configured = string.IsNullOrWhiteSpace(options.PublicUrl) ? null : options.PublicUrl.TrimEnd('/');

    /// <summary>Scheme, host and optional path prefix, without a trailing slash.</summary>
    public string Base(HttpRequest request) => _configured ?? $"{request.Scheme}://{(request.Host.HasValue ? request.Host.Value : "localhost")}";

    /// <summary>The base URL when the request is not at hand (a dashboard circuit): the configured one, else <paramref name="browserBase"/>, the address the browser used.</summary>
    public string Base(string browserBase) => _configured ?? browserBase.TrimEnd('/');

    /// <summary>A Sentry DSN: <c>scheme://public[:secret]@host[/prefix]/projectId</c>.</summary>
    public string Dsn(HttpRequest request, string publicKey, string? secretKey, long projectId) => DsnAt(Base(request), publicKey, secretKey, projectId);

    /// <summary>A Sentry DSN for the dashboard, whose circuit has no request: see <see cref="Base(string)"/>.</summary>
    public string Dsn(string browserBase, string publicKey, string? secretKey, long projectId) => DsnAt(Base(browserBase), publicKey, secretKey, projectId);

    private static string DsnAt(string baseUrl, string publicKey, string? secretKey, long projectId)
    {
        var uri = new Uri(baseUrl + "/");
        var user = secretKey is null ? publicKey : $"{publicKey}:{secretKey}";
        return $"{uri.Scheme}://{user}@{uri.Authority}{uri.AbsolutePath}{projectId}";
    }

    /// <summary>The web link of an issue.</summary>
    public string IssuePermalink(HttpRequest request, string organizationSlug, long issueId) =>
        $"{Base(request)}/organizations/{organizationSlug}/issues/{issueId}/";
}
