using System.Net;
using System.Reflection;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// The HTTP client of webhook and Slack deliveries. Deliberately not from <c>IHttpClientFactory</c>:
/// the service defaults give every factory client a resilience handler with retries, and a retry
/// below the outbox would resend a request the receiver may already have taken, outside the
/// deliverer's attempt count, back-off and log. Redirects are not followed (a 3xx is a failed attempt).
/// </summary>
public sealed class AlertHttp : IDisposable
{
    /// <summary>The user agent of webhooks plugin posts (Sentry's is <c>sentry-webhooks/&lt;version&gt;</c>).</summary>
    public static readonly string WebhooksUserAgent = "sentry-webhooks/" + Version();

    public AlertHttp()
    {
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own deadline
        };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();

    private static string Version()
    {
        var version = typeof(AlertHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
