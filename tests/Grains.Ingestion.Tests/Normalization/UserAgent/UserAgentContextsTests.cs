using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Ingestion.Normalization.UserAgent;

namespace Grains.Ingestion.Tests.Normalization.UserAgent;

/// <summary>
/// The normalizer fills browser, device and OS contexts from <c>request.headers</c> as Relay's
/// <c>normalize_user_agent</c> does (cases from Relay's <c>user_agent.rs</c> tests where they exist).
/// </summary>
public sealed class UserAgentContextsTests
{
    private const string ChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string GalaxyNexus = "Mozilla/5.0 (Linux; Android 4.0.4; Galaxy Nexus Build/IMM76B) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.133 Mobile Safari/535.19";
    private static readonly EventNormalizer Normalizer = new();

    private static JsonObject Normalize(JsonObject ev) =>
        Normalizer.Normalize(Encoding.UTF8.GetBytes(ev.ToJsonString()), new NormalizationContext(DateTimeOffset.UtcNow, IPAddress.Loopback));

    private static JsonObject Event(string platform, params (string Name, string Value)[] headers)
    {
        var pairs = new JsonObject();
        foreach (var (name, value) in headers)
        {
            pairs[name] = value;
        }

        return new JsonObject
        {
            ["platform"] = platform,
            ["message"] = "boom",
            ["request"] = new JsonObject { ["url"] = "https://shop.example.com/cart", ["headers"] = pairs },
        };
    }

    [Fact]
    public void A_browser_sdk_event_gets_browser_os_and_device_contexts_from_its_user_agent()
    {
        // @sentry/browser writes navigator.userAgent into request.headers["User-Agent"].
        var ev = Normalize(Event("javascript", ("User-Agent", GalaxyNexus)));

        Assert.Equal(
            """{"browser":{"name":"Chrome Mobile","version":"18.0.1025","type":"browser"},"device":{"family":"Samsung Galaxy Nexus","model":"Galaxy Nexus","brand":"Samsung","type":"device"},"os":{"name":"Android","version":"4.0.4","type":"os"}}""",
            ev["contexts"]!.ToJsonString());
    }

    [Fact]
    public void A_server_platform_gets_the_client_os_as_client_os_beside_its_own_os()
    {
        var ev = Event("node", ("user-agent", GalaxyNexus));
        ev["contexts"] = new JsonObject { ["os"] = new JsonObject { ["name"] = "Linux", ["version"] = "6.8" } };

        var contexts = Normalize(ev)["contexts"]!;

        Assert.Equal("Linux", (string?)contexts["os"]!["name"]);
        Assert.Equal("""{"name":"Android","version":"4.0.4","type":"os"}""", contexts["client_os"]!.ToJsonString());
        Assert.Equal("Chrome Mobile", (string?)contexts["browser"]!["name"]);
    }

    [Fact]
    public void Contexts_the_sdk_sent_are_never_replaced()
    {
        var ev = Event("javascript", ("User-Agent", GalaxyNexus));
        ev["contexts"] = new JsonObject
        {
            ["browser"] = new JsonObject { ["name"] = "BR_FAMILY", ["version"] = "BR_VERSION" },
            ["device"] = new JsonObject { ["family"] = "DEV_FAMILY" },
            ["os"] = new JsonObject { ["name"] = "OS_FAMILY" },
        };

        var contexts = Normalize(ev)["contexts"]!;

        Assert.Equal("BR_FAMILY", (string?)contexts["browser"]!["name"]);
        Assert.Equal("BR_VERSION", (string?)contexts["browser"]!["version"]);
        Assert.Equal("DEV_FAMILY", (string?)contexts["device"]!["family"]);
        Assert.Null(contexts["device"]!["model"]);
        Assert.Equal("OS_FAMILY", (string?)contexts["os"]!["name"]);
        Assert.Null(contexts["client_os"]);
    }

    [Theory]
    [InlineData(ChromeWindows, "Windows", ">=10")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Mac OS X", ">=10.15.7")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) - (-)", "Mac OS X", "10.13.4")]
    [InlineData("Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) - -", "Windows", "7")]
    public void Frozen_os_versions_are_written_as_at_least(string userAgent, string os, string version)
    {
        var context = Normalize(Event("javascript", ("User-Agent", userAgent)))["contexts"]!["os"]!;

        Assert.Equal(os, (string?)context["name"]);
        Assert.Equal(version, (string?)context["version"]);
    }

    [Fact]
    public void Client_hints_win_over_the_user_agent_when_they_name_something()
    {
        var ev = Normalize(Event(
            "javascript",
            ("User-Agent", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"),
            ("Sec-CH-UA", "\"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\""),
            ("Sec-CH-UA-Platform", "\"Android\""),
            ("Sec-CH-UA-Platform-Version", "\"14.0.0\""),
            ("Sec-CH-UA-Model", " \"Pixel 8\"")));

        var contexts = ev["contexts"]!;
        Assert.Equal("""{"name":"Google Chrome","version":"120","type":"browser"}""", contexts["browser"]!.ToJsonString());
        Assert.Equal("""{"name":"Android","version":"14.0.0","type":"os"}""", contexts["os"]!.ToJsonString());
        Assert.Equal("""{"model":"Pixel 8","type":"device"}""", contexts["device"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"Not_A Brand\";v=\"99\", \"Chromium\";v=\"108\"")] // no browser brand
    [InlineData("\"Chromium\";v=\"108\", \" \";v=\"109\"")] // an empty one
    [InlineData("garbage")]
    public void Hints_that_name_no_browser_leave_it_to_the_user_agent(string brands)
    {
        var ev = Normalize(Event("javascript", ("User-Agent", ChromeWindows), ("Sec-CH-UA", brands)));

        Assert.Equal("""{"name":"Chrome","version":"120.0.0","type":"browser"}""", ev["contexts"]!["browser"]!.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a dont no")]
    [InlineData("node")]
    [InlineData("))((**??$$")]
    public void Unrecognizable_or_empty_user_agents_add_no_context(string userAgent)
    {
        var ev = Normalize(Event("javascript", ("User-Agent", userAgent)));

        Assert.Null(ev["contexts"]);
    }

    [Fact]
    public void Bots_and_tools_get_what_is_known_of_them()
    {
        var bot = Normalize(Event("javascript", ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")))["contexts"]!;
        var curl = Normalize(Event("javascript", ("User-Agent", "curl/8.5.0")))["contexts"]!;

        Assert.Equal("""{"browser":{"name":"Googlebot","version":"2.1","type":"browser"},"device":{"family":"Spider","model":"Desktop","brand":"Spider","type":"device"}}""", bot.ToJsonString());
        Assert.Equal("""{"browser":{"name":"curl","version":"8.5.0","type":"browser"}}""", curl.ToJsonString());
    }

    [Fact]
    public void Events_without_request_headers_are_left_alone()
    {
        var noRequest = Normalize(new JsonObject { ["platform"] = "javascript", ["message"] = "boom" });
        var noHeaders = Normalize(new JsonObject { ["platform"] = "javascript", ["request"] = new JsonObject { ["url"] = "https://x.example" } });
        var otherHeaders = Normalize(Event("javascript", ("Accept", "text/html")));

        Assert.Null(noRequest["contexts"]);
        Assert.Null(noHeaders["contexts"]);
        Assert.Null(otherHeaders["contexts"]);
    }

    [Fact]
    public void Headers_as_pairs_with_odd_values_are_skipped_without_error()
    {
        var ev = new JsonObject
        {
            ["platform"] = "javascript",
            ["request"] = new JsonObject { ["headers"] = new JsonArray(new JsonArray("User-Agent", 42), new JsonArray("User-Agent"), null, "x", new JsonArray("user-agent", "curl/8.5.0")) },
        };

        UserAgentContexts.Apply(ev);

        Assert.Equal("curl", (string?)ev["contexts"]!["browser"]!["name"]);
    }
}
