using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.RateLimits;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Api;
using Grains.Server.Tests.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.RateLimits;

public sealed partial class RateLimitIngestTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Detail = "Sentry dropped data due to a quota or internal rate limit being reached. This will not affect your application. See https://docs.sentry.io/product/accounts/quotas/ for more information.";

    [Fact]
    public async Task Over_a_key_quota_envelopes_and_store_requests_get_Relays_429()
    {
        var (projectId, key) = await LimitedKeyAsync("envelopes", count: 3, window: 86_400);
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await PostEnvelopeAsync(projectId, key, Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "admitted " + i)));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.False(accepted.Headers.Contains("X-Sentry-Rate-Limits"));
        }

        var limited = Envelopes.NewEventId();
        using (var response = await PostEnvelopeAsync(projectId, key, Envelopes.EventEnvelope(Envelopes.ErrorEvent(limited, "Error", "over the quota"))))
        {
            await AssertLimitedAsync(response, 86_400, "key:key_quota");
        }

        using (var store = await PostStoreAsync(projectId, key, Encoding.UTF8.GetBytes(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "by store").ToJsonString())))
        {
            await AssertLimitedAsync(store, 86_400, "key:key_quota");
        }

        // Decided before the body is read: a store body that is not even JSON gets the 429, not a 400.
        using (var garbage = await PostStoreAsync(projectId, key, "not json at all"u8.ToArray()))
        {
            await AssertLimitedAsync(garbage, 86_400, "key:key_quota");
        }

        // A client report is not in the key quota's categories: still 200.
        using (var report = await PostEnvelopeAsync(projectId, key, Envelopes.Envelope(null, ("{\"type\":\"client_report\"}", "{\"timestamp\":1,\"discarded_events\":[]}"))))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        }

        Assert.Null(await server.Events.GetAsync(projectId, limited));

        // Every dropped item is a rate_limited outcome with Relay's reason: the envelope's event and
        // the two store events.
        var outcomes = server.Services.GetRequiredService<OutcomeAggregator>();
        await outcomes.FlushAsync();
        var project = await server.Directory.GetProjectAsync(projectId);
        var hour = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600;
        var rows = await server.Services.GetRequiredService<IOutcomeStore>().ReadAsync(project!.OrganizationId, hour - 3600, hour + 3600);
        var limitedRows = rows.Where(r => r.ProjectId == projectId && r.Outcome == OutcomeKind.RateLimited).ToList();
        Assert.Equal(3, limitedRows.Sum(r => r.Quantity));
        Assert.All(limitedRows, r => Assert.Equal(("error", ReasonCodes.KeyQuota), (r.Category, r.Reason)));
    }

    [Fact]
    public async Task A_partly_limited_envelope_keeps_its_other_items_and_answers_429()
    {
        var (projectId, key) = await LimitedKeyAsync("partly", count: 0, window: 60);
        var eventId = Envelopes.NewEventId();
        var body = Envelopes.Envelope(eventId,
            ("{\"type\":\"event\"}", Envelopes.ErrorEvent(eventId, "Error", "limited event").ToJsonString()),
            ("{\"type\":\"attachment\",\"filename\":\"a.txt\"}", "attached"),
            ("{\"type\":\"user_report\"}", $"{{\"event_id\":\"{eventId}\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"comments\":\"broken\"}}"));
        using var response = await PostEnvelopeAsync(projectId, key, body);

        // A quota of 0 rejects for Relay's 60 s.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60:default;error;security:key:key_quota", Header(response, "X-Sentry-Rate-Limits"));
        Assert.Equal("60", Header(response, "Retry-After"));
        Assert.Null(await server.Events.GetAsync(projectId, eventId));

        // The user report (category feedback) was kept; the attachment went with its event.
        var items = await server.Services.GetRequiredService<IItemStore>().ListByEventAsync(projectId, eventId);
        Assert.Equal(["user_report"], items.Select(i => i.ItemType));
    }

    [Fact]
    public async Task An_inactive_key_is_still_403_and_an_active_one_without_a_limit_is_never_429()
    {
        var (projectId, key) = await server.CreateProjectAsync("limits-ingest", "unlimited");
        for (var i = 0; i < 30; i++)
        {
            using var ok = await PostEnvelopeAsync(projectId, key, Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "free " + i)));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        (await server.PutAsync($"/api/0/projects/limits-ingest/unlimited/keys/{key}/", new JsonObject { ["isActive"] = false })).AssertStatus(200);
        using var rejected = await PostEnvelopeAsync(projectId, key, Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "disabled")));
        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
    }

    private async Task<(long ProjectId, string Key)> LimitedKeyAsync(string project, long count, long window)
    {
        var (projectId, key) = await server.CreateProjectAsync("limits-ingest", project);
        (await server.PutAsync($"/api/0/projects/limits-ingest/{project}/keys/{key}/", new JsonObject { ["rateLimit"] = new JsonObject { ["window"] = window, ["count"] = count } })).AssertStatus(200);
        return (projectId, key);
    }

    private async Task AssertLimitedAsync(HttpResponseMessage response, long window, string scopeAndReason)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var header = Header(response, "X-Sentry-Rate-Limits");
        var match = LimitPattern().Match(header);
        Assert.True(match.Success, header);
        Assert.Equal(scopeAndReason, match.Groups["rest"].Value);
        var retry = long.Parse(match.Groups["retry"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retry, 1, window);
        Assert.Equal(match.Groups["retry"].Value, Header(response, "Retry-After"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{{\"detail\":\"{Detail}\"}}", await response.Content.ReadAsStringAsync());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header ({(int)response.StatusCode})");

    private Task<HttpResponseMessage> PostEnvelopeAsync(long projectId, string key, byte[] body) => PostAsync($"/api/{projectId}/envelope/", key, body);

    private Task<HttpResponseMessage> PostStoreAsync(long projectId, string key, byte[] body) => PostAsync($"/api/{projectId}/store/", key, body);

    private Task<HttpResponseMessage> PostAsync(string path, string key, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={key}, sentry_version=7, sentry_client=grains-tests/1.0");
        return server.Anonymous.SendAsync(request);
    }

    [GeneratedRegex("^(?<retry>[0-9]+):default;error;security:(?<rest>.+)$")]
    private static partial Regex LimitPattern();
}
