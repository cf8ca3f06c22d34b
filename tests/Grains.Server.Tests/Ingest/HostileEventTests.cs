using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Ingest;

/// <summary>Events real applications send that once got a 500: each is accepted and stored, by both endpoints.</summary>
public sealed class HostileEventTests(IngestServer server) : IClassFixture<IngestServer>
{
    private async Task<HttpResponseMessage> SendAsync(string endpoint, string eventId, string eventJson, string? sentAt = null)
    {
        HttpContent content = endpoint == "store"
            ? new StringContent(eventJson, Encoding.UTF8, "application/json")
            : new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"event_id\":\"{eventId}\",\"sent_at\":\"{sentAt ?? DateTimeOffset.UtcNow.ToString("O")}\"}}\n{{\"type\":\"event\"}}\n{eventJson}\n"));
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/{endpoint}/") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", server.AuthHeader());
        return await server.Http.SendAsync(request);
    }

    private static string WithLoneSurrogates(JsonObject ev) =>
        // JsonNode cannot hold a lone surrogate; put markers in and swap them for the escapes.
        ev.ToJsonString().Replace("\\u0002", "\\ud83d", StringComparison.Ordinal).Replace("\\u0003", "\\ude00", StringComparison.Ordinal);

    [Theory]
    [InlineData("store")]
    [InlineData("envelope")]
    public async Task Lone_surrogates_everywhere_are_accepted_and_the_event_is_stored(string endpoint)
    {
        var ev = SdkEvents.Error("TypeError", "cut emoji \u0002", "surrogates" + endpoint, "u-\u0003");
        var eventId = (string)ev["event_id"]!;
        ev["extra"] = new JsonObject { ["k\u0002"] = "v\u0003", ["list"] = new JsonArray("\u0002\u0002") };
        ev["contexts"]!["app"] = new JsonObject { ["name"] = "a\u0002" };
        ev["tags"]!["cut"] = "x\u0002";
        ev["request"]!["data"] = new JsonObject { ["q"] = "\u0003" };
        ev["breadcrumbs"]!["values"]!.AsArray().Add(new JsonObject { ["message"] = "typed \u0002", ["data"] = new JsonObject { ["k\u0003"] = "\u0002" } });

        var response = await SendAsync(endpoint, (string)ev["event_id"]!, WithLoneSurrogates(ev));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await WaitForEventAsync(eventId);
        var json = Encoding.UTF8.GetString(stored.Span);
        Assert.Contains("\\uFFFD", json, StringComparison.Ordinal);
        Assert.Contains("!utf16", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_breadcrumb_with_a_lone_surrogate_does_not_fail_the_events_after_it()
    {
        // The SDK keeps the breadcrumb and sends it again with every later event of the process.
        var crumb = new JsonObject { ["category"] = "ui.input", ["message"] = "typed \u0002" };
        foreach (var endpoint in new[] { "envelope", "store", "envelope" })
        {
            var ev = SdkEvents.Error("Error", "after crumb", "crumbs", "u1");
            ev["breadcrumbs"]!["values"]!.AsArray().Add(crumb.DeepClone());
            var response = await SendAsync(endpoint, (string)ev["event_id"]!, WithLoneSurrogates(ev));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await WaitForEventAsync((string)ev["event_id"]!);
        }
    }

    [Theory]
    [InlineData("{\"event_id\":\"%id\",\"sdk\":{\"name\":\"sentry.javascript.node\\ud83d\",\"version\":\"\\ude00\"}}", "{\"type\":\"event\"}")]
    [InlineData("{\"event_id\":\"%id\",\"trace\":{\"release\":\"\\ud83d\"},\"k\\ud83d\":1}", "{\"type\":\"event\",\"x\\ude00\":\"\\ud83d\"}")]
    [InlineData("{\"event_id\":\"%id\",\"sent_at\":\"\\ud83d\"}", "{\"type\":\"event\"}")]
    public async Task Lone_surrogates_in_envelope_and_item_headers_are_never_a_500(string header, string itemHeader)
    {
        var ev = SdkEvents.Error("Error", "headers", "headers", "u1");
        var eventId = (string)ev["event_id"]!;
        var body = header.Replace("%id", eventId, StringComparison.Ordinal) + "\n" + itemHeader + "\n" + ev.ToJsonString() + "\n";
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/envelope/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", server.AuthHeader());

        var response = await server.Http.SendAsync(request);

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static TheoryData<string, int> DeepCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var depth in new[] { 60, 63, 64, 65, 128, 1000, 10_000 })
        {
            data.Add("store", depth);
            data.Add("envelope", depth);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeepCases))]
    public async Task Deep_values_are_cut_and_the_event_is_stored(string endpoint, int depth)
    {
        var ev = SdkEvents.Error("Error", "deep", "deep" + depth, "u1");
        var eventId = (string)ev["event_id"]!;
        var deep = new string('[', depth) + new string(']', depth);
        var json = ev.ToJsonString();
        json = json[..^1] + $",\"unknown_deep\":{deep},\"extra\":{{\"deep\":{deep}}},\"sdk_info\":{{\"data\":{deep}}}}}";

        var response = await SendAsync(endpoint, eventId, json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForEventAsync(eventId);
    }

    public static TheoryData<string, string> TimeCases => new()
    {
        // timestamp (JSON), envelope sent_at
        { "\"0001-01-01T00:00:00Z\"", "9999-12-31T23:59:59Z" },
        { "\"9999-12-31T23:59:59.9999999Z\"", "0001-01-01T00:00:00Z" },
        { "253402300799", "0001-01-01T00:00:00Z" },
        { "0", "9999-12-31T23:59:59Z" },
        { "1e308", "0001-01-01T00:00:00Z" },
        { "-1e308", "9999-12-31T23:59:59Z" },
        { "1e400", "2026-01-01T00:00:00Z" },
        { "\"NaN\"", "0001-01-01T00:00:00Z" },
        { "123456789012345678901234567890", "9999-12-31T23:59:59Z" },
    };

    [Theory]
    [MemberData(nameof(TimeCases))]
    public async Task Timestamps_and_sent_at_at_the_ends_of_the_range_are_accepted(string timestamp, string sentAt)
    {
        var ev = SdkEvents.Error("Error", "time", "time", "u1");
        var eventId = (string)ev["event_id"]!;
        ev.Remove("timestamp");
        var json = ev.ToJsonString()[..^1] + $",\"timestamp\":{timestamp},\"start_timestamp\":{timestamp}}}";

        var response = await SendAsync("envelope", eventId, json, sentAt);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForEventAsync(eventId);
    }

    private async Task<ReadOnlyMemory<byte>> WaitForEventAsync(string eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (await server.Events.GetAsync(server.ProjectId, eventId) is { } stored)
            {
                return stored.Json;
            }

            Assert.True(DateTime.UtcNow < deadline, $"event {eventId} was not stored within 10 s");
            await Task.Delay(20);
        }
    }
}
