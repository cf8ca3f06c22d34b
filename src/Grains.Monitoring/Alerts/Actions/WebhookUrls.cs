namespace Grains.Monitoring.Alerts.Actions;

/// <summary>What Sentry's webhooks plugin accepts as a callback URL: absolute, <c>http</c> or <c>https</c>, with a host.</summary>
public static class WebhookUrls
{
    /// <summary>Sentry's message for a refused URL (<c>{"errors": {"urls": "Not a valid URL."}}</c>).</summary>
    public const string InvalidMessage = "Not a valid URL.";

    /// <summary>Whether <paramref name="value"/> (trimmed) is a URL the plugin may post to.</summary>
    public static bool IsValid(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 2048
            && (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0
            && !value.Any(char.IsWhiteSpace);
    }

    /// <summary>
    /// The URL as it may be logged or shown in a delivery list: scheme, host, port and path only. User
    /// info and the query are dropped (they often carry tokens); so is a Slack-style secret path when
    /// <paramref name="keepPath"/> is false.
    /// </summary>
    public static string Redact(string url, bool keepPath = true)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(invalid url)";
        }

        var text = $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
        return keepPath ? text + uri.AbsolutePath : text + "/…";
    }
}
