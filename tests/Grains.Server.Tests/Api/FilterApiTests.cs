using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>Inbound filter toggles and the filter options of the project JSON, in Sentry's shapes.</summary>
public sealed class FilterApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_filter_list_is_sorted_by_name_and_shows_each_state()
    {
        await server.CreateProjectAsync("filters-org", "list");

        var list = (await server.GetAsync("/api/0/projects/filters-org/list/filters/")).AssertStatus(200).Json!.AsArray();

        Assert.Equal(["browser-extensions", "localhost", "legacy-browsers", "web-crawlers"], list.Select(f => f!["id"]!.GetValue<string>()));
        Assert.Equal(list.Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal), list.Select(f => f!["name"]!.GetValue<string>()));
        Assert.All(list, f =>
        {
            Assert.False(f!["active"]!.GetValue<bool>());
            Assert.False(string.IsNullOrEmpty(f["description"]!.GetValue<string>()));
        });
    }

    [Fact]
    public async Task Toggles_and_legacy_browser_subfilters_read_back()
    {
        await server.CreateProjectAsync("filters-org", "toggle");
        const string Base = "/api/0/projects/filters-org/toggle/filters/";

        (await server.PutAsync(Base + "localhost/", new JsonObject { ["active"] = true })).AssertStatus(204);
        (await server.PutAsync(Base + "web-crawlers/", new JsonObject { ["active"] = true })).AssertStatus(204);
        (await server.PutAsync(Base + "web-crawlers/", new JsonObject { ["active"] = false })).AssertStatus(204);
        (await server.PutAsync(Base + "legacy-browsers/", new JsonObject { ["subfilters"] = new JsonArray("safari", "ie") })).AssertStatus(204);

        var list = (await server.GetAsync(Base)).AssertStatus(200).Json!.AsArray().ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!["active"]!);
        Assert.True(list["localhost"].GetValue<bool>());
        Assert.False(list["web-crawlers"].GetValue<bool>());
        Assert.False(list["browser-extensions"].GetValue<bool>());
        Assert.Equal(["ie", "safari"], list["legacy-browsers"].AsArray().Select(s => s!.GetValue<string>()));

        (await server.PutAsync(Base + "legacy-browsers/", new JsonObject { ["subfilters"] = new JsonArray() })).AssertStatus(204);
        var off = (await server.GetAsync(Base)).Json!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "legacy-browsers")!;
        Assert.False(off["active"]!.GetValue<bool>());

        (await server.PutAsync(Base + "legacy-browsers/", new JsonObject { ["active"] = true })).AssertStatus(204);
        var on = (await server.GetAsync(Base)).Json!.AsArray().Single(f => f!["id"]!.GetValue<string>() == "legacy-browsers")!;
        Assert.True(on["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("nope/", """{"active": true}""", 404, null)]
    [InlineData("localhost/", """{}""", 400, "active")]
    [InlineData("localhost/", """{"active": "yes"}""", 400, null)]
    [InlineData("legacy-browsers/", """{"subfilters": ["ie", "netscape"]}""", 400, "subfilters")]
    [InlineData("legacy-browsers/", """{"subfilters": "ie"}""", 400, "subfilters")]
    [InlineData("legacy-browsers/", """{"subfilters": [1]}""", 400, "subfilters")]
    [InlineData("localhost/", """[true]""", 400, null)]
    public async Task Bad_toggles_are_refused(string path, string body, int status, string? field)
    {
        var slug = UniqueSlug();
        await server.CreateProjectAsync("filters-org", slug);

        var response = await server.SendAsync(HttpMethod.Put, $"/api/0/projects/filters-org/{slug}/filters/" + path, body);

        response.AssertStatus(status);
        if (field is not null)
        {
            Assert.NotEmpty(response.Json![field]!.AsArray());
        }

        var list = (await server.GetAsync($"/api/0/projects/filters-org/{slug}/filters/")).Json!.AsArray();
        Assert.All(list, f => Assert.False(f!["active"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Filter_options_round_trip_through_the_project_json()
    {
        await server.CreateProjectAsync("filters-org", "options");
        const string Project = "/api/0/projects/filters-org/options/";

        var fresh = (await server.GetAsync(Project)).AssertStatus(200).Json!;
        Assert.Equal("", fresh["options"]!["filters:blacklisted_ips"]!.GetValue<string>());
        Assert.Equal("", fresh["options"]!["filters:releases"]!.GetValue<string>());
        Assert.Equal("", fresh["options"]!["filters:error_messages"]!.GetValue<string>());

        var updated = (await server.PutAsync(Project, new JsonObject
        {
            ["options"] = new JsonObject
            {
                ["filters:blacklisted_ips"] = "10.0.0.0/8\n\n  192.168.1.1  \n2001:DB8::/32\n",
                ["filters:releases"] = "1.0.*\nBeta-[0-4]",
                ["filters:error_messages"] = "TypeError: *\n*ChunkLoadError*",
                ["sentry:unknown"] = "ignored",
            },
        })).AssertStatus(200).Json!;

        // Sentry cleans the lines (trimmed, empty ones dropped) and lower-cases IPs and releases, not messages.
        Assert.Equal("10.0.0.0/8\n192.168.1.1\n2001:db8::/32", updated["options"]!["filters:blacklisted_ips"]!.GetValue<string>());
        Assert.Equal("1.0.*\nbeta-[0-4]", updated["options"]!["filters:releases"]!.GetValue<string>());
        Assert.Equal("TypeError: *\n*ChunkLoadError*", updated["options"]!["filters:error_messages"]!.GetValue<string>());
        Assert.Null(updated["options"]!["sentry:unknown"]);

        var read = (await server.GetAsync(Project)).AssertStatus(200).Json!;
        Assert.Equal(updated["options"]!.ToJsonString(), read["options"]!.ToJsonString());

        // An empty string clears the list; other options are left as they are.
        (await server.PutAsync(Project, new JsonObject { ["options"] = new JsonObject { ["filters:releases"] = "" } })).AssertStatus(200);
        var cleared = (await server.GetAsync(Project)).Json!["options"]!;
        Assert.Equal("", cleared["filters:releases"]!.GetValue<string>());
        Assert.Equal("10.0.0.0/8\n192.168.1.1\n2001:db8::/32", cleared["filters:blacklisted_ips"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("filters:blacklisted_ips", "\"10.0.0.0/8\\n300.1.2.3\"", "Line 2")]
    [InlineData("filters:blacklisted_ips", "\"10.0.0.0/33\"", "not an IP address or CIDR")]
    [InlineData("filters:blacklisted_ips", "\"::1/129\"", "not an IP address or CIDR")]
    [InlineData("filters:blacklisted_ips", "\"example.com\"", "not an IP address or CIDR")]
    [InlineData("filters:blacklisted_ips", "\"10.0.0.0/\"", "not an IP address or CIDR")]
    [InlineData("filters:blacklisted_ips", "\"10.1\"", "not an IP address or CIDR")]
    [InlineData("filters:blacklisted_ips", "42", "newline-separated")]
    [InlineData("filters:releases", "\"1.0.[\"", "unclosed '['")]
    [InlineData("filters:releases", "\"{a,b\"", "unclosed '{'")]
    [InlineData("filters:error_messages", "\"oops\\\\\"", "backslash")]
    [InlineData("filters:error_messages", "\"[z-a]\"", "not a valid glob")]
    [InlineData("filters:error_messages", "[\"ok\", 1]", "list of strings")]
    public async Task Invalid_filter_options_are_400_with_the_field_and_change_nothing(string key, string value, string message)
    {
        var slug = UniqueSlug();
        await server.CreateProjectAsync("filters-org", slug);
        var projectPath = $"/api/0/projects/filters-org/{slug}/";
        (await server.PutAsync(projectPath, new JsonObject { ["options"] = new JsonObject { ["filters:releases"] = "keep" } })).AssertStatus(200);

        var response = await server.SendAsync(HttpMethod.Put, projectPath, "{\"name\": \"Renamed\", \"options\": {\"filters:releases\": \"changed\", \"" + key + "\": " + value + "}}");

        response.AssertStatus(400);
        var error = Assert.Single(response.Json!["options"]![key]!.AsArray())!.GetValue<string>();
        Assert.Contains(message, error, StringComparison.Ordinal);
        var project = (await server.GetAsync(projectPath)).Json!;
        Assert.Equal("keep", project["options"]!["filters:releases"]!.GetValue<string>());
        Assert.Equal(slug, project["name"]!.GetValue<string>());
    }

    private static string UniqueSlug() => "p" + Guid.NewGuid().ToString("N")[..12];
}
