using System.Text.RegularExpressions;

namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>web_crawlers</c>: the event's <c>User-Agent</c> header names a known crawler, bot,
/// spider or uptime checker, and is not one of the allowed ones (Slack's link unfurler, Slackbot 1.x).
/// The lists are Relay's defaults (relay-filter <c>web_crawlers.rs</c>).
/// </summary>
public sealed partial class WebCrawlersFilter : IInboundFilter
{
    public static WebCrawlersFilter Instance { get; } = new();

    public string Reason => FilterReasons.WebCrawlers;

    public bool Matches(FilterEvent e) => e.UserAgent is { } agent && Crawlers().IsMatch(agent) && !Allowed().IsMatch(agent);

    [GeneratedRegex("""
        Mediapartners-Google
        |AdsBot-Google
        |Googlebot
        |FeedFetcher-Google
        |BingBot
        |BingPreview
        |Baiduspider
        |Slurp
        |Sogou
        |facebook
        |ia_archiver
        |bots?[/\s\);]
        |spider[/\s\);]
        |Slack
        |Calypso\sAppCrawler
        |pingdom
        |lyticsbot
        |AWS\sSecurity\sScanner
        |HubSpot\sCrawler
        |Bytespider
        |Better\sUptime
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Crawlers();

    [GeneratedRegex(@"Slackbot\s1\.\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
