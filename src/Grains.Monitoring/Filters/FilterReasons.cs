namespace Grains.Monitoring.Filters;

/// <summary>Relay's <c>FilterStatKey</c>s: the reason of a <c>filtered</c> outcome, per filter.</summary>
public static class FilterReasons
{
    public const string IpAddress = "ip-address";
    public const string ReleaseVersion = "release-version";
    public const string ErrorMessage = "error-message";
    public const string Localhost = "localhost";
    public const string BrowserExtensions = "browser-extensions";
    public const string LegacyBrowsers = "legacy-browsers";
    public const string WebCrawlers = "web-crawlers";
}
