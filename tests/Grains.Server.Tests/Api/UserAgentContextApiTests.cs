using System.Globalization;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>
/// An event from <c>@sentry/browser</c> carries no browser, OS or device context, only
/// <c>request.headers["User-Agent"]</c> (its HttpContext integration copies <c>navigator.userAgent</c>).
/// Through the real edge it gets the contexts Relay derives, and the issue gets the tags that follow.
/// </summary>
public sealed class UserAgentContextApiTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    private const string Org = "ua";
    private const string ChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string ChromeAndroid = "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36";
    private long _projectId;
    private string _key = "";
    private string _project = "";

    public async Task InitializeAsync()
    {
        _project = "p" + Guid.NewGuid().ToString("N")[..8];
        (_projectId, _key) = await server.CreateProjectAsync(Org, _project);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_browser_sdk_error_gets_browser_os_and_device_contexts_and_tags_from_its_user_agent()
    {
        var desktop = BrowserSdkError("cart is undefined", ChromeWindows);
        var phone = BrowserSdkError("cart is undefined", ChromeAndroid);
        await server.IngestAsync(_projectId, _key, desktop);
        await server.IngestAsync(_projectId, _key, phone);
        var issue = await WaitForIssueAsync("TypeError: cart is undefined", count: 2);
        var id = issue["id"]!.GetValue<string>();

        var desktopEvent = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{desktop["event_id"]}/")).AssertStatus(200).Json!;
        var contexts = desktopEvent["contexts"]!;
        Assert.Equal("Chrome", contexts["browser"]!["name"]!.GetValue<string>());
        Assert.Equal("120.0.0", contexts["browser"]!["version"]!.GetValue<string>());
        Assert.Equal("Windows", contexts["os"]!["name"]!.GetValue<string>());
        Assert.Equal(">=10", contexts["os"]!["version"]!.GetValue<string>());
        Assert.Null(contexts["device"]);
        Assert.Equal("Chrome 120.0.0", Tag(desktopEvent, "browser"));
        Assert.Equal("Chrome", Tag(desktopEvent, "browser.name"));
        Assert.Equal("Windows >=10", Tag(desktopEvent, "os"));
        Assert.Equal("Windows", Tag(desktopEvent, "os.name"));

        var phoneEvent = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{phone["event_id"]}/")).AssertStatus(200).Json!;
        Assert.Equal("""{"family":"Samsung SM-S918B","model":"SM-S918B","brand":"Samsung","type":"device"}""", phoneEvent["contexts"]!["device"]!.ToJsonString());
        Assert.Equal("SM-S918B", Tag(phoneEvent, "device"));
        Assert.Equal("Samsung SM-S918B", Tag(phoneEvent, "device.family"));
        Assert.Equal("Chrome Mobile 112.0.0", Tag(phoneEvent, "browser"));
        Assert.Equal("Android 13", Tag(phoneEvent, "os"));

        // The question "which browsers?" has an answer on the issue.
        var browsers = (await server.GetAsync($"/api/0/issues/{id}/tags/browser.name/values/")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(["Chrome", "Chrome Mobile"], browsers.Select(v => v!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var tagKeys = (await server.GetAsync($"/api/0/issues/{id}/tags/")).AssertStatus(200).Json!.AsArray().Select(t => t!["key"]!.GetValue<string>()).ToList();
        Assert.Superset(new HashSet<string> { "browser", "browser.name", "os", "os.name", "device", "device.family" }, tagKeys.ToHashSet());
    }

    [Fact]
    public async Task A_server_sdk_error_keeps_its_os_and_gets_the_callers_as_client_os()
    {
        var evt = BrowserSdkError("request failed", ChromeWindows);
        evt["platform"] = "node";
        evt["contexts"] = new JsonObject { ["os"] = new JsonObject { ["name"] = "Linux", ["version"] = "6.8.0" } };
        await server.IngestAsync(_projectId, _key, evt);
        await WaitForIssueAsync("TypeError: request failed");

        var detail = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{evt["event_id"]}/")).AssertStatus(200).Json!;

        Assert.Equal("Linux", detail["contexts"]!["os"]!["name"]!.GetValue<string>());
        Assert.Equal("Windows", detail["contexts"]!["client_os"]!["name"]!.GetValue<string>());
        Assert.Equal("Linux 6.8.0", Tag(detail, "os"));
        Assert.Equal("Windows >=10", Tag(detail, "client_os"));
        Assert.Equal("Windows", Tag(detail, "client_os.name"));
    }

    /// <summary>An unhandled error as <c>@sentry/browser</c> 9 sends it from Chromium: no browser/os/device contexts of its own.</summary>
    private static JsonObject BrowserSdkError(string value, string userAgent) => new()
    {
        ["event_id"] = SdkEvents.NewId(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        ["platform"] = "javascript",
        ["level"] = "error",
        ["environment"] = "production",
        ["sdk"] = new JsonObject
        {
            ["name"] = "sentry.javascript.browser",
            ["version"] = "9.46.0",
            ["integrations"] = new JsonArray("InboundFilters", "FunctionToString", "BrowserApiErrors", "Breadcrumbs", "GlobalHandlers", "LinkedErrors", "Dedupe", "HttpContext", "BrowserSession"),
            ["packages"] = new JsonArray(new JsonObject { ["name"] = "npm:@sentry/browser", ["version"] = "9.46.0" }),
        },
        ["request"] = new JsonObject
        {
            ["url"] = "http://localhost:5173/checkout",
            ["headers"] = new JsonObject { ["Referer"] = "http://localhost:5173/", ["User-Agent"] = userAgent },
        },
        ["contexts"] = new JsonObject
        {
            ["trace"] = new JsonObject { ["trace_id"] = "c2907034d37043119a8564b83823026e", ["span_id"] = "9bb69aee80ed2b13" },
        },
        ["exception"] = new JsonObject
        {
            ["values"] = new JsonArray(new JsonObject
            {
                ["type"] = "TypeError",
                ["value"] = value,
                ["mechanism"] = new JsonObject { ["type"] = "onerror", ["handled"] = false },
                ["stacktrace"] = new JsonObject
                {
                    ["frames"] = new JsonArray(new JsonObject
                    {
                        ["function"] = "applyCoupon",
                        ["filename"] = "http://localhost:5173/assets/index-4f1b2c.js",
                        ["abs_path"] = "http://localhost:5173/assets/index-4f1b2c.js",
                        ["lineno"] = 1,
                        ["colno"] = 4242,
                        ["in_app"] = true,
                    }),
                },
            }),
        },
    };

    private static string? Tag(JsonNode eventDetail, string key) =>
        eventDetail["tags"]!.AsArray().FirstOrDefault(t => t!["key"]!.GetValue<string>() == key)?["value"]?.GetValue<string>();

    private async Task<JsonNode> WaitForIssueAsync(string title, int count = 1)
    {
        var path = $"/api/0/projects/{Org}/{_project}/issues/?query=&limit=100";
        var response = await server.WaitAsync(path, r => r.Status == 200 && r.Json!.AsArray().Any(Matches));
        return response.Json!.AsArray().First(Matches)!;

        bool Matches(JsonNode? issue) => issue!["title"]!.GetValue<string>() == title && issue["count"]!.GetValue<string>() == count.ToString(CultureInfo.InvariantCulture);
    }
}
