using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Outcomes;
using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Filters;

/// <summary>Inbound filters at the real edge: 200 with the id, nothing stored, a <c>filtered</c> outcome with Relay's reason, no quota.</summary>
public sealed class FilterIngestTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_filtered_event_is_answered_200_with_its_id_and_only_counted_as_filtered()
    {
        var (projectId, key) = await server.CreateProjectAsync("filter-ingest", "drop");
        (await server.PutAsync("/api/0/projects/filter-ingest/drop/", new JsonObject
        {
            ["options"] = new JsonObject { ["filters:error_messages"] = "*ignore me*", ["filters:releases"] = "0.9.*" },
        })).AssertStatus(200);
        // A key limit of 1 event a minute: filtered events must not spend it, or the kept event would get 429.
        (await server.PutAsync($"/api/0/projects/filter-ingest/drop/keys/{key}/", new JsonObject { ["rateLimit"] = new JsonObject { ["window"] = 60, ["count"] = 1 } })).AssertStatus(200);

        var byMessage = NewId();
        var (status, body) = await FilterEdge.EnvelopeAsync(server, projectId, key, Event(byMessage, "Please IGNORE ME now", "1.0.0"));
        Assert.Equal(200, status);
        Assert.Equal(byMessage, JsonNode.Parse(body)!["id"]!.GetValue<string>());

        var byRelease = NewId();
        (status, body) = await FilterEdge.StoreAsync(server, projectId, key, Event(byRelease, "fine", "0.9.3"));
        Assert.Equal(200, status);
        Assert.Equal(byRelease, JsonNode.Parse(body)!["id"]!.GetValue<string>());

        var kept = NewId();
        (status, _) = await FilterEdge.EnvelopeAsync(server, projectId, key, Event(kept, "a real problem", "1.0.0"));
        Assert.Equal(200, status);
        await server.WaitAsync($"/api/0/projects/filter-ingest/drop/events/{kept}/", r => r.Status == 200);
        (await server.GetAsync($"/api/0/projects/filter-ingest/drop/events/{byMessage}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/filter-ingest/drop/events/{byRelease}/")).AssertStatus(404);

        var rows = await FilterEdge.OutcomesAsync(server, projectId);
        Assert.Equal(
            [("error", OutcomeKind.Accepted, (string?)null, 1L), ("error", OutcomeKind.Filtered, "error-message", 1L), ("error", OutcomeKind.Filtered, "release-version", 1L)],
            rows);
    }

    [Fact]
    public async Task Without_a_trusted_proxy_the_ip_filter_matches_the_peer_not_x_forwarded_for()
    {
        var (projectId, key) = await server.CreateProjectAsync("filter-ingest", "xff-untrusted");
        (await server.PutAsync("/api/0/projects/filter-ingest/xff-untrusted/", new JsonObject
        {
            ["options"] = new JsonObject { ["filters:blacklisted_ips"] = "203.0.113.0/24" },
        })).AssertStatus(200);

        var spoofed = NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, Event(spoofed, "x", "1.0"), forwardedFor: "203.0.113.9");
        await server.WaitAsync($"/api/0/projects/filter-ingest/xff-untrusted/events/{spoofed}/", r => r.Status == 200);

        (await server.PutAsync("/api/0/projects/filter-ingest/xff-untrusted/", new JsonObject
        {
            ["options"] = new JsonObject { ["filters:blacklisted_ips"] = "127.0.0.0/8\n::1" },
        })).AssertStatus(200);
        var loopback = NewId();
        var (status, _) = await FilterEdge.EnvelopeAsync(server, projectId, key, Event(loopback, "x", "1.0"), forwardedFor: "198.51.100.1");
        Assert.Equal(200, status);
        Assert.Contains(("error", OutcomeKind.Filtered, (string?)"ip-address", 1L), await FilterEdge.OutcomesAsync(server, projectId));
        (await server.GetAsync($"/api/0/projects/filter-ingest/xff-untrusted/events/{loopback}/")).AssertStatus(404);
    }

    [Fact]
    public async Task Toggled_filters_apply_to_the_next_event_without_a_restart()
    {
        var (projectId, key) = await server.CreateProjectAsync("filter-ingest", "toggle-live");
        var evt = Event(NewId(), "x", "1.0");
        evt["request"] = new JsonObject { ["url"] = "http://localhost:3000/page", ["headers"] = new JsonObject { ["User-Agent"] = "Mozilla/5.0 (compatible; Googlebot/2.1)" } };
        await FilterEdge.EnvelopeAsync(server, projectId, key, evt);

        (await server.PutAsync("/api/0/projects/filter-ingest/toggle-live/filters/web-crawlers/", new JsonObject { ["active"] = true })).AssertStatus(204);
        evt["event_id"] = NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, evt);
        (await server.PutAsync("/api/0/projects/filter-ingest/toggle-live/filters/localhost/", new JsonObject { ["active"] = true })).AssertStatus(204);
        evt["event_id"] = NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, evt);

        // Relay's order: localhost before web crawlers.
        var rows = await FilterEdge.OutcomesAsync(server, projectId);
        Assert.Equal([("error", OutcomeKind.Accepted, (string?)null, 1L), ("error", OutcomeKind.Filtered, "localhost", 1L), ("error", OutcomeKind.Filtered, "web-crawlers", 1L)], rows);
    }

    internal static string NewId() => Guid.NewGuid().ToString("N");

    internal static JsonObject Event(string id, string message, string release) => new()
    {
        ["event_id"] = id,
        ["platform"] = "node",
        ["release"] = release,
        ["exception"] = new JsonObject { ["values"] = new JsonArray(new JsonObject { ["type"] = "Error", ["value"] = message }) },
    };
}

/// <summary>The IP filter behind a trusted proxy (loopback): the first <c>X-Forwarded-For</c> hop is the client.</summary>
public sealed class TrustedProxyFilterTests(TrustedProxyFilterTests.Server server) : IClassFixture<TrustedProxyFilterTests.Server>
{
    [Fact]
    public async Task Behind_a_trusted_proxy_the_ip_filter_matches_the_first_forwarded_hop()
    {
        var (projectId, key) = await server.CreateProjectAsync("proxy-org", "xff");
        (await server.PutAsync("/api/0/projects/proxy-org/xff/", new JsonObject
        {
            ["options"] = new JsonObject { ["filters:blacklisted_ips"] = "203.0.113.0/24\n2001:db8::/32" },
        })).AssertStatus(200);

        var first = FilterIngestTests.NewId();
        Assert.Equal(200, (await FilterEdge.EnvelopeAsync(server, projectId, key, FilterIngestTests.Event(first, "x", "1"), forwardedFor: "203.0.113.9, 10.0.0.1")).Status);
        var v6 = FilterIngestTests.NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, FilterIngestTests.Event(v6, "x", "1"), forwardedFor: "[2001:db8::7]:4711");
        var later = FilterIngestTests.NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, FilterIngestTests.Event(later, "x", "1"), forwardedFor: "198.51.100.1, 203.0.113.9");
        var none = FilterIngestTests.NewId();
        await FilterEdge.EnvelopeAsync(server, projectId, key, FilterIngestTests.Event(none, "x", "1"));

        await server.WaitAsync($"/api/0/projects/proxy-org/xff/events/{later}/", r => r.Status == 200);
        await server.WaitAsync($"/api/0/projects/proxy-org/xff/events/{none}/", r => r.Status == 200);
        (await server.GetAsync($"/api/0/projects/proxy-org/xff/events/{first}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/proxy-org/xff/events/{v6}/")).AssertStatus(404);
        Assert.Contains(("error", OutcomeKind.Filtered, (string?)"ip-address", 2L), await FilterEdge.OutcomesAsync(server, projectId));
    }

    public sealed class Server : ApiServer
    {
        protected override void Configure(WebApplicationBuilder builder)
        {
            builder.Configuration["Grains:Ingest:TrustedProxies:0"] = "127.0.0.1";
            builder.Configuration["Grains:Ingest:TrustedProxies:1"] = "::1/128";
        }
    }
}

/// <summary>Raw requests to the edge, with the headers a test needs.</summary>
internal static class FilterEdge
{
    public static Task<(int Status, string Body)> EnvelopeAsync(ApiServer server, long projectId, string key, JsonObject evt, string? forwardedFor = null) =>
        SendAsync(server, $"/api/{projectId}/envelope/", key, $"{{\"event_id\":\"{evt["event_id"]}\"}}\n{{\"type\":\"event\"}}\n{evt.ToJsonString()}\n", forwardedFor);

    public static Task<(int Status, string Body)> StoreAsync(ApiServer server, long projectId, string key, JsonObject evt, string? forwardedFor = null) =>
        SendAsync(server, $"/api/{projectId}/store/", key, evt.ToJsonString(), forwardedFor);

    /// <summary>The project's outcomes so far (flushed first), summed per category, outcome and reason.</summary>
    public static async Task<List<(string Category, OutcomeKind Outcome, string? Reason, long Quantity)>> OutcomesAsync(ApiServer server, long projectId)
    {
        await server.Services.GetRequiredService<OutcomeAggregator>().FlushAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var rows = await server.Services.GetRequiredService<IOutcomeStore>().ReadAsync(null, now - 86_400, now + 7_200);
        return
        [
            .. rows.Where(r => r.ProjectId == projectId)
                .GroupBy(r => (r.Category, r.Outcome, r.Reason))
                .Select(g => (g.Key.Category, g.Key.Outcome, g.Key.Reason, g.Sum(r => r.Quantity)))
                .OrderBy(r => r.Outcome).ThenBy(r => r.Reason, StringComparer.Ordinal),
        ];
    }

    private static async Task<(int Status, string Body)> SendAsync(ApiServer server, string path, string key, string body, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={key}, sentry_version=7, sentry_client=grains-tests/1.0");
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await server.Anonymous.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
