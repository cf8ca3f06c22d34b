using System.Net;
using System.Text.Json.Nodes;
using Grains.Server.Tests.Api;
using Grains.Server.Tests.Ingest;

namespace Grains.Server.Tests.RateLimits;

public sealed class ScopeQuotaTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task An_organization_quota_and_its_projects_share_are_set_read_back_and_validated()
    {
        await server.CreateProjectAsync("quota-api", "web");
        const string Path = "/api/0/organizations/quota-api/rate-limits/";
        Assert.Equal("""{"rateLimit":null,"projectRateLimit":null}""", (await server.GetAsync(Path)).AssertStatus(200).Body);

        var set = (await server.PutAsync(Path, JsonNode.Parse("""{"rateLimit": {"window": 3600, "count": 1000}, "projectRateLimit": 50}""")!)).AssertStatus(200);
        Assert.Equal("""{"rateLimit":{"window":3600,"count":1000},"projectRateLimit":50}""", set.Body);
        Assert.Equal(set.Body, (await server.GetAsync(Path)).Body);

        // Partial: an absent field is left alone.
        Assert.Equal("""{"rateLimit":{"window":3600,"count":1000},"projectRateLimit":25}""", (await server.PutAsync(Path, JsonNode.Parse("""{"projectRateLimit": "25"}""")!)).AssertStatus(200).Body);

        var refused = (await server.PutAsync(Path, JsonNode.Parse("""{"rateLimit": {"window": 60, "count": -5}, "projectRateLimit": 0}""")!)).AssertStatus(400);
        Assert.Equal("""{"rateLimit":{"count":["Ensure this value is greater than or equal to 0."]},"projectRateLimit":["Ensure this value is greater than or equal to 1."]}""", refused.Body);
        Assert.Equal("""{"projectRateLimit":["Ensure this value is less than or equal to 100."]}""", (await server.PutAsync(Path, JsonNode.Parse("""{"projectRateLimit": 101}""")!)).AssertStatus(400).Body);
        Assert.Equal("""{"projectRateLimit":["A valid integer is required."]}""", (await server.PutAsync(Path, JsonNode.Parse("""{"projectRateLimit": "half"}""")!)).AssertStatus(400).Body);
        Assert.Equal("""{"rateLimit":{"window":3600,"count":1000},"projectRateLimit":25}""", (await server.GetAsync(Path)).Body);

        Assert.Equal("""{"rateLimit":null,"projectRateLimit":null}""", (await server.PutAsync(Path, JsonNode.Parse("""{"rateLimit": null, "projectRateLimit": null}""")!)).AssertStatus(200).Body);
        (await server.GetAsync("/api/0/organizations/nope/rate-limits/")).AssertStatus(404);
    }

    [Fact]
    public async Task A_projects_quota_and_option_are_set_and_read_back()
    {
        await server.CreateProjectAsync("quota-api", "proj");
        const string Path = "/api/0/projects/quota-api/proj/rate-limits/";
        Assert.Equal("""{"rateLimit":null}""", (await server.GetAsync(Path)).AssertStatus(200).Body);
        Assert.Equal("""{"rateLimit":{"window":60,"count":10}}""", (await server.PutAsync(Path, JsonNode.Parse("""{"rateLimit": {"window": 60, "count": 10}}""")!)).AssertStatus(200).Body);
        Assert.Equal("""{"rateLimit":{"window":60,"count":10}}""", (await server.GetAsync(Path)).Body);
        Assert.Equal("""{"rateLimit":{"window":["A valid integer is required."]}}""", (await server.PutAsync(Path, JsonNode.Parse("""{"rateLimit": {"window": [], "count": 10}}""")!)).AssertStatus(400).Body);

        var project = (await server.PutAsync("/api/0/projects/quota-api/proj/", JsonNode.Parse("""{"options": {"sentry:project-rate-limit": 50}}""")!)).AssertStatus(200);
        Assert.Equal(50, project.Json!["options"]!["sentry:project-rate-limit"]!.GetValue<int>());
        Assert.Equal(50, (await server.GetAsync("/api/0/projects/quota-api/proj/")).Json!["options"]!["sentry:project-rate-limit"]!.GetValue<int>());
        (await server.PutAsync("/api/0/projects/quota-api/proj/", JsonNode.Parse("""{"options": {"sentry:project-rate-limit": 150}}""")!)).AssertStatus(400);
        Assert.Equal(50, (await server.GetAsync("/api/0/projects/quota-api/proj/")).Json!["options"]!["sentry:project-rate-limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task One_project_cannot_use_more_than_its_share_of_the_organization_quota()
    {
        var (a, keyA) = await server.CreateProjectAsync("quota-share", "a");
        var (b, keyB) = await server.CreateProjectAsync("quota-share", "b");
        (await server.PutAsync("/api/0/organizations/quota-share/rate-limits/", JsonNode.Parse("""{"rateLimit": {"window": 86400, "count": 4}, "projectRateLimit": 50}""")!)).AssertStatus(200);

        Assert.Equal(new[] { 200, 200, 429 }, await SendAsync(a, keyA, 3));
        using (var limited = await PostAsync(a, keyA))
        {
            Assert.Matches("^[0-9]+:default;error;security:project:project_quota$", Header(limited));
        }

        // B still has its own half of the organization's quota.
        Assert.Equal(new[] { 200, 200 }, await SendAsync(b, keyB, 2));
        using (var both = await PostAsync(b, keyB))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, both.StatusCode);
            Assert.Matches("^[0-9]+:default;error;security:project:project_quota, [0-9]+:default;error;security:organization:org_quota$", Header(both));
        }
    }

    [Fact]
    public async Task A_project_quota_set_through_the_API_limits_ingest()
    {
        var (id, key) = await server.CreateProjectAsync("quota-project", "p");
        Assert.Equal(new[] { 200, 200, 200 }, await SendAsync(id, key, 3));
        (await server.PutAsync("/api/0/projects/quota-project/p/rate-limits/", JsonNode.Parse("""{"rateLimit": {"window": 86400, "count": 1}}""")!)).AssertStatus(200);
        Assert.Equal(new[] { 200, 429, 429 }, await SendAsync(id, key, 3));
        using var limited = await PostAsync(id, key);
        Assert.Matches("^[0-9]+:default;error;security:project:project_quota$", Header(limited));
        (await server.PutAsync("/api/0/projects/quota-project/p/rate-limits/", JsonNode.Parse("""{"rateLimit": null}""")!)).AssertStatus(200);
        Assert.Equal(new[] { 200 }, await SendAsync(id, key, 1));
    }

    private async Task<int[]> SendAsync(long projectId, string key, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await PostAsync(projectId, key);
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    private Task<HttpResponseMessage> PostAsync(long projectId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{projectId}/envelope/")
        {
            Content = new ByteArrayContent(Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "quota"))),
        };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={key}, sentry_version=7, sentry_client=grains-tests/1.0");
        return server.Anonymous.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response) => string.Join(",", response.Headers.GetValues("X-Sentry-Rate-Limits"));
}
