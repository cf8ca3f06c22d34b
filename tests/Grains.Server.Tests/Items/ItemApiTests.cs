using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Grains.Server.Tests.Items.ItemEnvelopes;

namespace Grains.Server.Tests.Items;

/// <summary>
/// The item API over items stored through <c>ItemRecorder</c> directly (the edge's own recorder from
/// DI, fed parsed envelopes), so these hold whether or not the middleware calls it.
/// </summary>
public sealed class ItemApiTests : IAsyncLifetime
{
    private readonly ItemServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("/api/0/projects/acme/web/user-feedback/")]
    [InlineData("/api/0/issues/1/user-reports/")]
    [InlineData("/api/0/organizations/acme/issues/1/user-reports/")]
    [InlineData("/api/0/projects/acme/web/events/0123456789abcdef0123456789abcdef/attachments/")]
    [InlineData("/api/0/projects/acme/web/events/0123456789abcdef0123456789abcdef/attachments/1/?download=1")]
    [InlineData("/api/0/projects/acme/web/stats/outcomes/")]
    public async Task Every_route_requires_a_bearer_token(string path)
    {
        using var client = new HttpClient();
        using var missing = await client.GetAsync(_server.Url + path);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Authentication credentials were not provided.", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Get, _server.Url + path);
        request.Headers.Authorization = new("Bearer", "not-a-token");
        using var wrong = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task User_feedback_pages_newest_first_with_Sentry_link_headers()
    {
        var eventIds = Enumerable.Range(0, 3).Select(_ => NewEventId()).ToList();
        foreach (var (eventId, i) in eventIds.Select((e, i) => (e, i)))
        {
            await _server.RecordAsync(Envelope(Header(null), Json("user_report", UserReport(eventId, $"user{i}", $"user{i}@example.com", $"comment {i}"))));
        }

        using var first = await _server.GetAsync("/api/0/projects/acme/web/user-feedback/?limit=2");
        var page = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["user2", "user1"], page.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(eventIds[2], page[0]!["eventID"]!.GetValue<string>());
        Assert.Null(page[0]!["issue"]); // the event was never sent
        Assert.Null(page[0]!["user"]);
        var link = first.Headers.GetValues("Link").Single();
        Assert.Contains("rel=\"previous\"; results=\"false\"", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\"; results=\"true\"", link, StringComparison.Ordinal);

        var cursor = System.Text.RegularExpressions.Regex.Match(link, "rel=\"next\"; results=\"true\"; cursor=\"([^\"]+)\"").Groups[1].Value;
        using var second = await _server.GetAsync($"/api/0/projects/acme/web/user-feedback/?limit=2&cursor={Uri.EscapeDataString(cursor)}");
        var rest = JsonNode.Parse(await second.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["user0"], rest.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Contains("rel=\"next\"; results=\"false\"", second.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        using var bad = await _server.GetAsync("/api/0/projects/acme/web/user-feedback/?cursor=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknownProject = await _server.GetAsync("/api/0/projects/acme/nope/user-feedback/");
        Assert.Equal(HttpStatusCode.NotFound, unknownProject.StatusCode);
    }

    [Fact]
    public async Task Attachment_metadata_download_and_not_found_cases()
    {
        var eventId = NewEventId();
        var png = RandomNumberGenerator.GetBytes(2_000);
        await _server.RecordAsync(Envelope(Header(eventId), Attachment("shot.png", png, "image/png"), ("{\"type\":\"attachment\",\"length\":2}", "hi"u8.ToArray())));

        var list = (await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId.ToUpperInvariant()}/attachments/")).AsArray();
        Assert.Equal(["shot.png", $"attachment-{list[1]!["id"]!.GetValue<string>()}"], list.Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal("application/octet-stream", list[1]!["mimetype"]!.GetValue<string>()); // no content_type sent
        Assert.Equal("image/png", list[0]!["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.False(list[0]!["truncated"]!.GetValue<bool>());
        var id = list[0]!["id"]!.GetValue<string>();

        // Without download=1 the attachment itself is described, as in Sentry.
        var meta = await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/{id}/");
        Assert.Equal((id, 2_000L), (meta["id"]!.GetValue<string>(), meta["size"]!.GetValue<long>()));

        using var download = await _server.GetAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/{id}/?download=1");
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);

        // A content type that is not a media type (here with a newline) is served as bytes, never as a broken header.
        var oddId = NewEventId();
        await _server.RecordAsync(Envelope(Header(oddId), ("{\"type\":\"attachment\",\"length\":2,\"filename\":\"x.html\",\"content_type\":\"text/html\\nX-Evil: 1\"}", "hi"u8.ToArray())));
        var odd = Assert.Single((await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{oddId}/attachments/")).AsArray())!;
        using var oddDownload = await _server.GetAsync($"/api/0/projects/acme/web/events/{oddId}/attachments/{odd["id"]!.GetValue<string>()}/?download=1");
        Assert.Equal(HttpStatusCode.OK, oddDownload.StatusCode);
        Assert.Equal("application/octet-stream", oddDownload.Content.Headers.ContentType!.MediaType);
        Assert.False(oddDownload.Headers.Contains("X-Evil"));
        Assert.Equal("nosniff", oddDownload.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var path in new[]
        {
            $"/api/0/projects/acme/web/events/{eventId}/attachments/999999/?download=1",
            $"/api/0/projects/acme/web/events/{eventId}/attachments/abc/",
            $"/api/0/projects/acme/web/events/{NewEventId()}/attachments/{id}/?download=1",
            $"/api/0/projects/acme/web/events/{NewEventId()}/attachments/",
            "/api/0/projects/acme/web/events/not-an-id/attachments/",
            $"/api/0/projects/other/web/events/{eventId}/attachments/",
        })
        {
            using var response = await _server.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("The requested resource does not exist", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Outcomes_have_the_stats_v2_shape_with_hourly_series()
    {
        var now = DateTimeOffset.UtcNow;
        await _server.RecordAsync(Envelope(Header(null), Json("session", Session(true, "ok", 0)), Json("client_report", ClientReport())), now);
        await _server.RecordAsync(Envelope(Header(null), Json("session", Session(false, "exited", 0))), now.AddHours(-3));
        await _server.RecordAsync(Envelope(Header(null), Json("session", Session(false, "exited", 0))), now.AddDays(-3)); // outside 24h

        var stats = await _server.GetJsonAsync("/api/0/projects/acme/web/stats/outcomes/?statsPeriod=24h");

        var intervals = stats["intervals"]!.AsArray();
        Assert.Equal(25, intervals.Count); // the partial hours at both ends are included
        Assert.Equal(intervals[0]!.GetValue<string>(), stats["start"]!.GetValue<string>());
        Assert.EndsWith(":00:00Z", stats["start"]!.GetValue<string>(), StringComparison.Ordinal);
        var groups = stats["groups"]!.AsArray();
        // The client report is not itself counted (Relay counts what it reports, as client_discard).
        Assert.Equal(["session"], groups.Select(g => g!["by"]!["category"]!.GetValue<string>()));
        Assert.All(groups, g => Assert.Equal("accepted", g!["by"]!["outcome"]!.GetValue<string>()));
        var session = groups[0]!;
        Assert.Equal(2, session["totals"]!["sum(quantity)"]!.GetValue<long>());
        var series = session["series"]!["sum(quantity)"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        Assert.Equal(25, series.Count);
        Assert.Equal((1L, 1L, 2L), (series[^1], series[^4], series.Sum()));

        var daily = await _server.GetJsonAsync("/api/0/projects/acme/web/stats/outcomes/?statsPeriod=7d&interval=1d");
        Assert.Equal(8, daily["intervals"]!.AsArray().Count);
        Assert.Equal(3, daily["groups"]![0]!["totals"]!["sum(quantity)"]!.GetValue<long>());

        foreach (var query in new[] { "statsPeriod=abc", "statsPeriod=99999999d", "statsPeriod=91d", "statsPeriod=0h", "interval=5m" })
        {
            using var response = await _server.GetAsync($"/api/0/projects/acme/web/stats/outcomes/?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Reports_of_an_unknown_issue_are_not_found()
    {
        using var numeric = await _server.GetAsync("/api/0/issues/424242/user-reports/");
        Assert.Equal(HttpStatusCode.NotFound, numeric.StatusCode);
        using var otherOrganization = await _server.GetAsync("/api/0/organizations/nope/issues/1/user-reports/");
        Assert.Equal(HttpStatusCode.NotFound, otherOrganization.StatusCode);
    }

    [Fact]
    public async Task Reporter_fields_are_cut_to_Sentry_column_sizes()
    {
        var eventId = NewEventId();
        await _server.RecordAsync(Envelope(Header(null), Json("user_report", UserReport(eventId, new string('n', 500), new string('e', 500), new string('c', 10_000)))));

        var report = Assert.Single((await _server.GetJsonAsync("/api/0/projects/acme/web/user-feedback/")).AsArray())!;
        Assert.Equal((128, 75, 4096), (report["name"]!.GetValue<string>().Length, report["email"]!.GetValue<string>().Length, report["comments"]!.GetValue<string>().Length));
        Assert.Equal(10_000, Encoding.UTF8.GetByteCount(JsonNode.Parse(_server.StoredItems()[0].Payload)!["comments"]!.GetValue<string>())); // the raw payload is kept whole
    }
}
