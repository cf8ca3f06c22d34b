using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Tests.Filters;

/// <summary>One table per filter, after Relay's own test cases (relay-filter), with the cases Grains adds.</summary>
public sealed class FilterTableTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("2001:db8::/32", "2001:db8::1", true)]
    [InlineData("not-an-ip\n10.0.0.0/8", "10.1.2.3", true)] // unparseable entries are ignored
    [InlineData("10.0.0.0/8", null, false)]
    public void Client_ips(string list, string? client, bool filtered)
    {
        var filter = new ClientIpsFilter(list.Split('\n'));
        Assert.Equal(filtered, filter.Matches(FilterEvents.Of("""{"user": {"ip_address": "10.1.2.3"}}""", client)));
    }

    [Fact]
    public void Client_ips_ignore_the_events_user_ip()
    {
        var filter = new ClientIpsFilter(["10.0.0.0/8"]);
        Assert.False(filter.Matches(FilterEvents.Of("""{"user": {"ip_address": "10.1.2.3"}}""", "192.0.2.1")));
    }

    [Theory]
    [InlineData("1.2.3", """{"release": "1.2.3"}""", true)]
    [InlineData("1.2.*", """{"release": "1.2.3"}""", true)]
    [InlineData("1.2.*", """{"release": "1.3.0"}""", false)]
    [InlineData("*-beta", """{"release": "web@2.0-BETA"}""", true)]
    [InlineData("1.2.3", """{}""", false)]
    [InlineData("*", """{"release": ""}""", false)]
    [InlineData("*", """{"release": 5}""", false)]
    public void Releases(string globs, string json, bool filtered) =>
        Assert.Equal(filtered, new ReleasesFilter(new GlobList(globs.Split('\n'))).Matches(FilterEvents.Of(json)));

    [Theory]
    [InlineData("TypeError: *", """{"exception": {"values": [{"type": "TypeError", "value": "x is undefined"}]}}""", true)]
    [InlineData("typeerror: X IS *", """{"exception": {"values": [{"type": "TypeError", "value": "x is undefined"}]}}""", true)]
    [InlineData("x is undefined", """{"exception": {"values": [{"type": "TypeError", "value": "x is undefined"}]}}""", false)]
    [InlineData("x is undefined", """{"exception": {"values": [{"value": "x is undefined"}]}}""", true)] // value alone without a type
    [InlineData("TypeError", """{"exception": {"values": [{"type": "TypeError"}]}}""", true)] // type alone without a value
    [InlineData("*second*", """{"exception": {"values": [{"type": "A", "value": "first"}, {"type": "B", "value": "second"}]}}""", true)]
    [InlineData("*formatted*", """{"logentry": {"formatted": "the formatted one", "message": "raw %s"}}""", true)]
    [InlineData("raw*", """{"logentry": {"formatted": "the formatted one", "message": "raw %s"}}""", false)] // formatted wins
    [InlineData("raw*", """{"logentry": {"message": "raw %s"}}""", true)]
    [InlineData("*", """{"exception": {"values": [{}]}}""", false)] // an empty message never matches
    [InlineData("*ChunkLoadError*", """{"message": "ChunkLoadError"}""", false)] // not normalized: only logentry counts
    public void Error_messages(string globs, string json, bool filtered) =>
        Assert.Equal(filtered, new ErrorMessagesFilter(new GlobList(globs.Split('\n'))).Matches(FilterEvents.Of(json)));

    [Theory]
    [InlineData("""{"user": {"ip_address": "127.0.0.1"}}""", true)]
    [InlineData("""{"user": {"ip_address": "::1"}}""", true)]
    [InlineData("""{"user": {"ip_address": "10.0.0.1"}}""", false)]
    [InlineData("""{"request": {"url": "http://localhost/x"}}""", true)]
    [InlineData("""{"request": {"url": "http://LOCALHOST:3000/x"}}""", true)]
    [InlineData("""{"request": {"url": "https://app.localhost/x"}}""", true)]
    [InlineData("""{"request": {"url": "http://127.0.0.1:8080/"}}""", true)]
    [InlineData("""{"request": {"url": "file:///home/me/index.html"}}""", true)]
    [InlineData("""{"request": {"url": "https://localhost.com/"}}""", false)]
    [InlineData("""{"request": {"url": "https://example.com/localhost"}}""", false)]
    [InlineData("""{"request": {"url": "not a url"}}""", false)]
    [InlineData("""{"request": {"headers": [["X-Forwarded-For", "127.0.0.1"]], "url": "https://example.com/"}}""", true)]
    [InlineData("""{"request": {"headers": [["Host", "localhost:5173"]]}}""", true)]
    [InlineData("""{"request": {"headers": [["X-Forwarded-Host", "example.com"], ["Host", "localhost"]]}}""", false)]
    [InlineData("""{"request": {"headers": [["Host", "[::1]:80"]]}}""", false)]
    [InlineData("""{}""", false)]
    public void Localhost(string json, bool filtered) => Assert.Equal(filtered, LocalhostFilter.Instance.Matches(FilterEvents.Of(json)));

    [Theory]
    [InlineData("what does conduitPage even do", true)]
    [InlineData("null is not an object (evaluating 'elt.parentNode')", true)]
    [InlineData("some error on top.GLOBALS", true)]
    [InlineData("biiig problem on originalCreateNotification", true)]
    [InlineData("Can't find variable: ZiteReader, I wonder why?", true)]
    [InlineData("jigsaw is not defined and I'm not happy about it", true)]
    [InlineData("bad news, we have a fb_xd_fragment", true)]
    [InlineData("plugin.setSuspendState is not a function", true)]
    [InlineData("Extension context invalidated", true)]
    [InlineData("TypeError: can't access dead object because dead stuff smells bad", true)]
    [InlineData("useless error webkit-masked-url: please filter", true)]
    [InlineData("some perfectly reasonable value", false)]
    public void Browser_extensions_by_value(string value, bool filtered) =>
        Assert.Equal(filtered, BrowserExtensionsFilter.Instance.Matches(FilterEvents.WithException("Error", value)));

    [Theory]
    [InlineData("https://graph.facebook.com/", true)]
    [InlineData("https://connect.facebook.net/en_US/sdk.js", true)]
    [InlineData("chrome-extension://my-extension/or/something", true)]
    [InlineData("chrome://my-extension/or/something", true)]
    [InlineData("moz-extension://my-extension/or/something", true)]
    [InlineData("safari-web-extension://my-extension/or/something", true)]
    [InlineData("https://fscr.kaspersky-labs.com/B-9B72-7B7/main.js", true)]
    [InlineData("https://example.com/chrome-extension://x", false)] // extension schemes only at the start
    [InlineData("https://some/reasonable/source.js", false)]
    public void Browser_extensions_by_source(string source, bool filtered) =>
        // The last frames are anonymous: the source is the last frame that is not.
        Assert.Equal(filtered, BrowserExtensionsFilter.Instance.Matches(FilterEvents.WithException("Error", "fine", source, "<anonymous>", "[native code]")));

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true)]
    [InlineData("AdsBot-Google (+http://www.google.com/adsbot.html)", true)]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0)", true)]
    [InlineData("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true)]
    [InlineData("Twitterbot/1.0", true)]
    [InlineData("Mozilla/5.0 (compatible; HubSpot Crawler; web-crawlers@hubspot.com)", true)]
    [InlineData("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)", true)]
    [InlineData("Better Uptime Bot Mozilla/5.0 (Windows NT 10.0; Win64; x64)", true)]
    [InlineData("pingdom", true)]
    [InlineData("spider;", true)]
    [InlineData("Slackbot 1.0(+https://api.slack.com/robots)", false)] // allowed: Slack's link unfurler
    [InlineData("APIs-Google (+https://developers.google.com/webmasters/APIs-Google.html)", false)]
    [InlineData("Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36", false)]
    [InlineData("some user agent", false)]
    public void Web_crawlers(string agent, bool filtered) => Assert.Equal(filtered, WebCrawlersFilter.Instance.Matches(FilterEvents.WithUserAgent(agent)));

    [Fact]
    public void Web_crawlers_need_a_user_agent() => Assert.False(WebCrawlersFilter.Instance.Matches(FilterEvents.Of("{}")));

    private const string Ie8 = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0)";
    private const string Ie9 = "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 7.1; Trident/5.0)";
    private const string IeMobile9 = "Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; NOKIA; Lumia 710)";
    private const string Ie10 = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)";
    private const string Ie11 = "Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko";
    private const string OperaMini7 = "Opera/9.80 (J2ME/MIDP; Opera Mini/7.0.32796/59.323; U; fr) Presto/2.12.423 Version/12.16";
    private const string OperaMini8 = "Opera/9.80 (J2ME/MIDP; Opera Mini/8.0.35158/36.2534; U; en) Presto/2.12.423 Version/12.16";
    private const string Opera14 = "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453.12 Safari/537.36 OPR/14.0.1116.4";
    private const string Opera15 = "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.45 Safari/537.36 OPR/15.0.1147.61 (Edition Next)";
    private const string Android3 = "Mozilla/5.0 (Linux; U; Android 3.2; nl-nl; GT-P6800 Build/HTJ85B) AppleWebKit/534.13 (KHTML, like Gecko) Version/4.0 Safari/534.13";
    private const string Android4 = "Mozilla/5.0 (Linux; U; Android 4.1.1; en-gb; Build/KLP) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30";
    private const string Safari5 = "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 1063; tr-DE) AppleWebKit/533.16 (KHTML like Gecko) Version/5.0 Safari/533.16";
    private const string Safari6 = "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.17.4; en-GB) AppleWebKit/605.1.5 (KHTML, like Gecko) Version/6.0 Safari/605.1.5";
    private const string Chrome41 = "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36";
    private const string Chrome120 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string Firefox60 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:60.0) Gecko/20100101 Firefox/60.0";
    private const string Firefox120 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0";

    [Theory]
    // The default set ({"active": true}): below IE 10, Safari 6, Opera 15, Android 4, Opera Mini 8.
    [InlineData(Ie9, "default", true)]
    [InlineData(IeMobile9, "default", true)]
    [InlineData(Safari5, "default", true)]
    [InlineData(Opera14, "default", true)]
    [InlineData(Android3, "default", true)]
    [InlineData(OperaMini7, "default", true)]
    [InlineData(Ie10, "default", false)]
    [InlineData(Safari6, "default", false)]
    [InlineData(Opera15, "default", false)]
    [InlineData(Android4, "default", false)]
    [InlineData(OperaMini8, "default", false)]
    [InlineData(Chrome41, "default", false)]
    // Deprecated subfilters.
    [InlineData(Ie8, "ie_pre_9", true)]
    [InlineData(Ie9, "ie_pre_9", false)]
    [InlineData(Ie9, "ie9", true)]
    [InlineData(IeMobile9, "ie9", true)]
    [InlineData(Ie10, "ie10", true)]
    [InlineData(Ie11, "ie11", true)]
    [InlineData(Ie11, "ie10", false)]
    [InlineData(Ie10, "android_pre_4,ie10", true)]
    [InlineData(Opera14, "opera_pre_15", true)]
    [InlineData(Opera15, "opera_pre_15", false)]
    [InlineData(OperaMini7, "opera_mini_pre_8", true)]
    [InlineData(OperaMini8, "opera_mini_pre_8", false)]
    [InlineData(Android3, "android_pre_4", true)]
    [InlineData(Android4, "android_pre_4", false)]
    [InlineData(Safari5, "safari_pre_6", true)]
    [InlineData(Safari6, "safari_pre_6", false)]
    // Current subfilters (Sentry's Feb 2024 set).
    [InlineData(Ie11, "ie", true)]
    [InlineData(Safari6, "safari", true)]
    [InlineData(Chrome41, "chrome", true)]
    [InlineData(Chrome120, "chrome", false)]
    [InlineData(Firefox60, "firefox", true)]
    [InlineData(Firefox120, "firefox", false)]
    [InlineData(Chrome41, "ie,safari", false)]
    [InlineData(Ie8, "netscape", false)] // unknown ids are ignored
    [InlineData("not a browser", "ie,chrome", false)]
    public void Legacy_browsers(string agent, string subfilters, bool filtered)
    {
        var filter = subfilters == "default" ? new LegacyBrowsersFilter([], defaults: true) : new LegacyBrowsersFilter(subfilters.Split(','), defaults: false);
        Assert.Equal(filtered, filter.Matches(FilterEvents.WithUserAgent(agent)));
    }
}
