namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>localhost</c>: the event's user IP is <c>127.0.0.1</c> or <c>::1</c>, its request URL
/// is a <c>file:</c> URL or on <c>localhost</c> / <c>127.0.0.1</c> (or a subdomain of them), its
/// request's <c>X-Forwarded-For</c> is a loopback address, or, without a URL, its <c>Host</c> /
/// <c>X-Forwarded-Host</c> header names localhost.
/// </summary>
public sealed class LocalhostFilter : IInboundFilter
{
    public static LocalhostFilter Instance { get; } = new();

    private static readonly string[] LocalIps = ["127.0.0.1", "::1"];

    private static readonly string[] LocalDomains = ["127.0.0.1", "localhost"];

    public string Reason => FilterReasons.Localhost;

    public bool Matches(FilterEvent e)
    {
        if (e.UserIpAddress is { } ip && LocalIps.Contains(ip))
        {
            return true;
        }

        if (e.Header("X-Forwarded-For") is { } forwarded && LocalIps.Contains(forwarded.Trim()))
        {
            return true;
        }

        if (e.RequestUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return false;
            }

            return uri.Scheme == Uri.UriSchemeFile || IsLocalHost(uri.Host);
        }

        var host = e.Header("X-Forwarded-Host") ?? e.Header("Host");
        return host is not null && IsLocalHost(HostPart(host));
    }

    /// <summary><c>localhost</c>, <c>127.0.0.1</c> or a subdomain of them (<c>app.localhost</c>, not <c>localhost.com</c>).</summary>
    public static bool IsLocalHost(string host)
    {
        host = host.TrimEnd('.');
        foreach (var domain in LocalDomains)
        {
            if (host.Equals(domain, StringComparison.OrdinalIgnoreCase)
                || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // "localhost:3000" → "localhost", "[::1]:80" → "::1".
    private static string HostPart(string host)
    {
        host = host.Trim();
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }

        var colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && host.IndexOf(':', colon + 1) < 0 ? host[..colon] : host;
    }
}
