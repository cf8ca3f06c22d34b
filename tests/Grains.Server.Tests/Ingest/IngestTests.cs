using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grains.Monitoring.Storage;

namespace Grains.Server.Tests.Ingest;

public sealed class IngestTests : IClassFixture<IngestServer>
{
    private readonly IngestServer _server;

    public IngestTests(IngestServer server) => _server = server;

    [Fact]
    public async Task Envelope_event_is_acknowledged_with_its_id_and_listed_as_an_issue_within_two_seconds()
    {
        var eventId = Envelopes.NewEventId();
        var title = "checkout broke " + eventId[..8];
        var response = await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.EventEnvelope(Envelopes.ErrorEvent(eventId, "TypeError", title, user: "u1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{{\"id\":\"{eventId}\"}}", await response.Content.ReadAsStringAsync());
        var issue = await _server.WaitForIssueAsync(title, timeoutMs: 2_000);
        Assert.Equal(1, issue.TimesSeen);
        Assert.Equal(1, issue.UserCount);
        Assert.Equal($"TypeError: {title}", issue.Title);
        Assert.NotNull(await _server.Events.GetAsync(_server.ProjectId, eventId));
    }

    [Fact]
    public async Task The_same_event_id_sent_twice_is_counted_and_stored_once()
    {
        var eventId = Envelopes.NewEventId();
        var title = "retried " + eventId[..8];
        var body = Envelopes.EventEnvelope(Envelopes.ErrorEvent(eventId, "Error", title, function: "retried"));
        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/{_server.ProjectId}/envelope/", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/{_server.ProjectId}/envelope/", body)).StatusCode);

        var second = Envelopes.NewEventId();
        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.EventEnvelope(Envelopes.ErrorEvent(second, "Error", title, function: "retried")))).StatusCode);
        var issue = await _server.WaitForIssueAsync(title, i => i.TimesSeen == 2);
        var page = await _server.Events.ListByIssueAsync(issue.Id, 100, null);
        Assert.Equal(2, page.Events.Count);
    }

    [Fact]
    public async Task The_same_event_id_sent_three_times_at_once_is_counted_once_with_its_tags()
    {
        // Sent together, the copies mostly land in one delivered batch: the grain skips the batch's own duplicates.
        var eventId = Envelopes.NewEventId();
        var title = "burst " + eventId[..8];
        var body = Envelopes.EventEnvelope(Envelopes.ErrorEvent(eventId, "Error", title, function: "burst"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Post($"/api/{_server.ProjectId}/envelope/", body)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // The second id's row commits with the snapshot that counts it: once it is stored, the count is final.
        var second = Envelopes.NewEventId();
        Assert.Equal(HttpStatusCode.OK, (await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.EventEnvelope(Envelopes.ErrorEvent(second, "Error", title, function: "burst")))).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await _server.Events.GetAsync(_server.ProjectId, second) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second event was not stored in time");
            await Task.Delay(20);
        }

        var issue = await _server.WaitForIssueAsync(title);
        Assert.Equal(2, issue.TimesSeen);
        Assert.Equal(2, (await _server.Events.ListByIssueAsync(issue.Id, 100, null)).Events.Count);
        var tags = await _server.Issues.GetTagsAsync(issue.Id, 10);
        Assert.NotEmpty(tags);
        Assert.All(tags, t => Assert.Equal(2, t.TotalValues)); // both events carry every key once
    }

    [Fact]
    public async Task Same_type_from_two_functions_makes_two_issues_and_the_same_code_one()
    {
        var title = "placed " + Envelopes.NewEventId()[..8];
        foreach (var function in new[] { "first", "second", "first" })
        {
            await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "RangeError", title, function)));
        }

        var first = await _server.WaitForIssueAsync(title, i => i.TimesSeen == 2);
        var second = await _server.WaitForIssueAsync(title, i => i.TimesSeen == 1);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Store_endpoint_accepts_post_and_get_with_every_auth_form()
    {
        var title = "stored " + Envelopes.NewEventId()[..8];
        var posted = Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", title, "store");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{_server.Url}/api/{_server.ProjectId}/store/") { Content = new StringContent(posted.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", _server.AuthHeader());
        var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var viaQuery = Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", title, "store");
        var get = await _server.Http.GetAsync($"{_server.Url}/api/{_server.ProjectId}/store/?sentry_key={_server.PublicKey}&sentry_version=7&sentry_data={Uri.EscapeDataString(viaQuery.ToJsonString())}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        var viaDsn = Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", title, "store");
        var tunnel = Envelopes.Envelope(viaDsn["event_id"]!.GetValue<string>(), ("{\"type\":\"event\"}", viaDsn.ToJsonString()));
        var withDsn = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(tunnel).Replace("{\"event_id\"", $"{{\"dsn\":\"http://{_server.PublicKey}@localhost/{_server.ProjectId}\",\"event_id\"", StringComparison.Ordinal));
        var tunneled = await _server.Http.PostAsync($"{_server.Url}/api/{_server.ProjectId}/envelope/", new ByteArrayContent(withDsn));
        Assert.Equal(HttpStatusCode.OK, tunneled.StatusCode);

        await _server.WaitForIssueAsync(title, i => i.TimesSeen == 3);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Compressed_bodies_are_accepted(string encoding)
    {
        var title = $"compressed {encoding} " + Envelopes.NewEventId()[..8];
        var body = Compress(Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", title)), encoding);
        var response = await Post($"/api/{_server.ProjectId}/envelope/", body, encoding);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _server.WaitForIssueAsync(title);
    }

    [Fact]
    public async Task Preflight_and_responses_carry_relay_cors_headers()
    {
        var preflight = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{_server.Url}/api/{_server.ProjectId}/envelope/"));
        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.Contains("POST", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Methods")));
        var response = await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.Envelope(null));
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-sentry-error", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")));
    }

    [Fact]
    public async Task Envelope_without_events_answers_an_empty_object()
    {
        var response = await Post($"/api/{_server.ProjectId}/envelope/", Envelopes.Envelope(null, ("{\"type\":\"client_report\"}", "{\"discarded_events\":[]}")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, int, string> MalformedRequests() => new()
    {
        // name, case key (built in BuildMalformed), expected status, expected detail (prefix)
        { "no auth at all", "no-auth", 401, "bad envelope authentication header" },
        { "two auth sources", "two-auth", 401, "multiple authorization payloads detected" },
        { "key is not 32 hex", "bad-key", 400, "bad sentry DSN public key" },
        { "unknown key", "unknown-key", 403, "event submission rejected with_reason: ProjectKey" },
        { "key of another project", "project-mismatch", 403, "event submission rejected with_reason: ProjectId" },
        { "project id not numeric", "bad-project-path", 400, "bad project path parameter" },
        { "envelope header not JSON", "bad-header", 400, "invalid event envelope" },
        { "item length past the end", "length-past-end", 400, "invalid event envelope" },
        { "invalid UTF-8 in a header", "invalid-utf8", 400, "invalid event envelope" },
        { "event item over 1 MiB", "oversized-event", 413, "envelope exceeded size limits" },
        { "event is not JSON", "bad-json", 400, "invalid JSON data" },
        { "event is a JSON array", "not-object", 400, "invalid JSON data" },
        { "truncated gzip", "truncated-gzip", 400, "failed to read request body" },
        { "gzip bomb", "gzip-bomb", 413, "failed to read request body" },
        { "zstd encoding", "zstd", 415, "unsupported content encoding" },
        { "store GET without data", "store-get-empty", 400, "empty request body" },
        { "store without auth", "store-no-auth", 401, "missing authorization information" },
        { "PUT on envelope", "wrong-method", 405, "method not allowed" },
        { "empty body", "empty", 400, "empty request body" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_get_a_clear_4xx_and_never_a_500(string name, string kind, int status, string detail)
    {
        var response = await _server.Http.SendAsync(BuildMalformed(kind));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        Assert.StartsWith(detail, json.RootElement.GetProperty("detail").GetString());
    }

    private HttpRequestMessage BuildMalformed(string kind)
    {
        var envelopeUrl = $"{_server.Url}/api/{_server.ProjectId}/envelope/";
        var good = Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "malformed case"));
        HttpRequestMessage Request(byte[] body, string? auth = "default", string? encoding = null, string? url = null, HttpMethod? method = null)
        {
            var request = new HttpRequestMessage(method ?? HttpMethod.Post, url ?? envelopeUrl) { Content = new ByteArrayContent(body) };
            if (auth is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Sentry-Auth", auth == "default" ? _server.AuthHeader() : auth);
            }

            if (encoding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(encoding);
            }

            return request;
        }

        byte[] Event(string payload) => Envelopes.Envelope(Envelopes.NewEventId(), ("{\"type\":\"event\"}", payload));

        switch (kind)
        {
            case "no-auth": return Request(good, auth: null);
            case "two-auth":
                var twice = Request(good);
                twice.RequestUri = new Uri($"{envelopeUrl}?sentry_key={_server.PublicKey}");
                return twice;
            case "bad-key": return Request(good, auth: _server.AuthHeader("not-a-key"));
            case "unknown-key": return Request(good, auth: _server.AuthHeader(new string('a', 32)));
            case "project-mismatch": return Request(good, url: $"{_server.Url}/api/{_server.ProjectId + 1000}/envelope/");
            case "bad-project-path": return Request(good, url: $"{_server.Url}/api/abc/envelope/");
            case "bad-header": return Request("{not json\n{\"type\":\"event\"}\n{}\n"u8.ToArray());
            case "length-past-end": return Request("{}\n{\"type\":\"event\",\"length\":500}\n{}\n"u8.ToArray());
            case "invalid-utf8": return Request([.. "{}\n{\"type\":\"ev"u8, 0xC3, 0x28, .. "ent\"}\n{}\n"u8]);
            case "oversized-event": return Request(Event($"{{\"message\":\"{new string('x', 1_100_000)}\"}}"));
            case "bad-json": return Request(Event("{\"message\": nope}"));
            case "not-object": return Request(Event("[1,2,3]"));
            case "truncated-gzip":
                var gz = Compress(good, "gzip");
                return Request(gz[..(gz.Length / 2)], encoding: "gzip");
            case "gzip-bomb": return Request(Bomb(64L * 1024 * 1024 * 4), encoding: "gzip");
            case "zstd": return Request(good, encoding: "zstd");
            case "store-get-empty": return Request([], url: $"{_server.Url}/api/{_server.ProjectId}/store/?sentry_key={_server.PublicKey}&sentry_version=7", method: HttpMethod.Get, auth: null);
            case "store-no-auth": return Request("{}"u8.ToArray(), url: $"{_server.Url}/api/{_server.ProjectId}/store/", auth: null);
            case "wrong-method": return Request(good, method: HttpMethod.Put);
            case "empty": return Request([]);
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private async Task<HttpResponseMessage> Post(string path, byte[] body, string? encoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _server.Url + path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-sentry-envelope");
        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", _server.AuthHeader());
        return await _server.Http.SendAsync(request);
    }

    private static byte[] Compress(byte[] data, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream stream = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            stream.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A gzip of <paramref name="size"/> zero bytes (a few hundred KiB compressed).</summary>
    private static byte[] Bomb(long size)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        return output.ToArray();
    }
}
