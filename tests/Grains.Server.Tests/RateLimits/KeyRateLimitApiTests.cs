using System.Text.Json.Nodes;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.RateLimits;

public sealed class KeyRateLimitApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_keys_rate_limit_is_set_read_back_kept_and_cleared_as_in_Sentry()
    {
        var (_, key) = await server.CreateProjectAsync("limits-api", "web");
        var path = $"/api/0/projects/limits-api/web/keys/{key}/";
        var initial = (await server.GetAsync(path)).AssertStatus(200);
        Assert.True(initial.Json!.AsObject().ContainsKey("rateLimit"));
        Assert.Null(initial.Json!["rateLimit"]);

        var set = (await server.PutAsync(path, JsonNode.Parse("""{"rateLimit": {"window": 60, "count": 5}}""")!)).AssertStatus(200);
        Assert.Equal("""{"window":60,"count":5}""", set.Json!["rateLimit"]!.ToJsonString());
        Assert.Equal("""{"window":60,"count":5}""", (await server.GetAsync(path)).Json!["rateLimit"]!.ToJsonString());
        var listed = (await server.GetAsync("/api/0/projects/limits-api/web/keys/")).AssertStatus(200);
        Assert.Equal("""{"window":60,"count":5}""", listed.Json![0]!["rateLimit"]!.ToJsonString());

        // Absent leaves it alone.
        var renamed = (await server.PutAsync(path, new JsonObject { ["name"] = "Renamed" })).AssertStatus(200);
        Assert.Equal("Renamed", renamed.Json!["name"]!.GetValue<string>());
        Assert.Equal("""{"window":60,"count":5}""", renamed.Json!["rateLimit"]!.ToJsonString());

        // A bad body changes nothing.
        var refused = (await server.PutAsync(path, JsonNode.Parse("""{"name": "Other", "rateLimit": {"window": 100000, "count": 5}}""")!)).AssertStatus(400);
        Assert.Equal("""{"rateLimit":{"window":["Ensure this value is less than or equal to 86400."]}}""", refused.Body);
        var after = (await server.GetAsync(path)).AssertStatus(200);
        Assert.Equal("Renamed", after.Json!["name"]!.GetValue<string>());
        Assert.Equal("""{"window":60,"count":5}""", after.Json!["rateLimit"]!.ToJsonString());

        // One field null clears both; so does null.
        var half = (await server.PutAsync(path, JsonNode.Parse("""{"rateLimit": {"window": 60, "count": null}}""")!)).AssertStatus(200);
        Assert.Null(half.Json!["rateLimit"]);
        (await server.PutAsync(path, JsonNode.Parse("""{"rateLimit": {"window": 3600, "count": 0}}""")!)).AssertStatus(200);
        Assert.Equal("""{"window":3600,"count":0}""", (await server.GetAsync(path)).Json!["rateLimit"]!.ToJsonString());
        var cleared = (await server.PutAsync(path, JsonNode.Parse("""{"rateLimit": null}""")!)).AssertStatus(200);
        Assert.Null(cleared.Json!["rateLimit"]);
        Assert.Null((await server.GetAsync(path)).Json!["rateLimit"]);
    }

    [Fact]
    public async Task A_key_created_with_a_rate_limit_has_it_and_a_bad_one_creates_nothing()
    {
        await server.CreateProjectAsync("limits-api", "create");
        var created = (await server.PostAsync("/api/0/projects/limits-api/create/keys/", JsonNode.Parse("""{"name": "Limited", "rateLimit": {"window": 10, "count": 1}}""")!)).AssertStatus(201);
        Assert.Equal("""{"window":10,"count":1}""", created.Json!["rateLimit"]!.ToJsonString());

        var refused = (await server.PostAsync("/api/0/projects/limits-api/create/keys/", JsonNode.Parse("""{"name": "Bad", "rateLimit": "10/1"}""")!)).AssertStatus(400);
        Assert.Equal("""{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}}""", refused.Body);
        var keys = (await server.GetAsync("/api/0/projects/limits-api/create/keys/")).AssertStatus(200);
        Assert.Equal(2, keys.Json!.AsArray().Count);
    }

    [Fact]
    public async Task An_unknown_key_is_404()
    {
        await server.CreateProjectAsync("limits-api", "unknown");
        (await server.PutAsync("/api/0/projects/limits-api/unknown/keys/0123456789abcdef0123456789abcdef/", JsonNode.Parse("""{"rateLimit": {"window": 60, "count": 5}}""")!)).AssertStatus(404);
    }
}
