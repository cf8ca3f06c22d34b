using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Grains.Server.Tests.Items.ItemEnvelopes;

namespace Grains.Server.Tests.Items;

/// <summary>
/// Real envelopes through the ingest edge: every non-event item is stored, linked and counted before
/// the 200. Needs the edge to call <c>ItemRecorder</c>.
/// </summary>
public sealed class ItemIngestTests : IAsyncLifetime
{
    private readonly ItemServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Event_attachment_and_user_report_are_stored_linked_to_the_event_and_issue_and_counted()
    {
        var eventId = NewEventId();
        var data = Encoding.UTF8.GetBytes("hello world");
        var (status, body) = await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            Json("event", ErrorEvent(eventId, "CheckoutError", "card declined")),
            Attachment("hello.txt", data),
            Json("user_report", UserReport(eventId, "Jane Doe", "jane@example.com", "It crashed when I paid"))));

        Assert.Equal(200, status);
        Assert.Equal(eventId, body!["id"]!.GetValue<string>());

        // The items are durable at the 200: no waiting for them.
        var attachments = (await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/")).AsArray();
        var attachment = Assert.Single(attachments)!;
        Assert.Equal("hello.txt", attachment["name"]!.GetValue<string>());
        Assert.Equal("event.attachment", attachment["type"]!.GetValue<string>());
        Assert.Equal("text/plain", attachment["mimetype"]!.GetValue<string>());
        Assert.Equal(11, attachment["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(data)), attachment["sha1"]!.GetValue<string>());
        Assert.Equal(eventId, attachment["event_id"]!.GetValue<string>());
        Assert.NotNull(attachment["dateCreated"]);

        using var download = await _server.GetAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/{attachment["id"]!.GetValue<string>()}/?download=1");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("hello.txt", download.Content.Headers.ContentDisposition!.FileName);

        // The report shows its issue once the event has been processed into one.
        var feedback = await _server.WaitForJsonAsync("/api/0/projects/acme/web/user-feedback/", n => n.AsArray().Count == 1 && n[0]!["issue"] is not null);
        var report = feedback[0]!;
        Assert.Equal(eventId, report["eventID"]!.GetValue<string>());
        Assert.Equal("Jane Doe", report["name"]!.GetValue<string>());
        Assert.Equal("jane@example.com", report["email"]!.GetValue<string>());
        Assert.Equal("It crashed when I paid", report["comments"]!.GetValue<string>());
        Assert.Equal(eventId, report["event"]!["eventID"]!.GetValue<string>());
        var issueId = report["issue"]!["id"]!.GetValue<string>();
        Assert.Contains("CheckoutError", report["issue"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);

        var byIssue = (await _server.GetJsonAsync($"/api/0/issues/{issueId}/user-reports/")).AsArray();
        Assert.Equal(report["id"]!.GetValue<string>(), Assert.Single(byIssue)!["id"]!.GetValue<string>());
        var byOrganizationIssue = (await _server.GetJsonAsync($"/api/0/organizations/acme/issues/{issueId}/user-reports/")).AsArray();
        Assert.Single(byOrganizationIssue);

        var outcomes = await _server.OutcomesAsync();
        Assert.Equal(11, outcomes["attachment"]);
        Assert.Equal(1, outcomes["attachment_item"]);
        Assert.Equal(1, outcomes["feedback"]);
    }

    [Fact]
    public async Task Feedback_from_captureFeedback_is_listed_with_its_associated_event()
    {
        var errorId = NewEventId();
        Assert.Equal(200, (await _server.PostEnvelopeAsync(Envelope(Header(errorId), Json("event", ErrorEvent(errorId, "RangeError", "too far"))))).Status);
        var feedbackId = NewEventId();
        var (status, body) = await _server.PostEnvelopeAsync(Envelope(Header(feedbackId), Json("feedback", Feedback(feedbackId, errorId, "The page froze", "Sam", "sam@example.com"))));

        Assert.Equal(200, status);
        Assert.Equal(feedbackId, body!["id"]!.GetValue<string>());
        var feedback = await _server.WaitForJsonAsync("/api/0/projects/acme/web/user-feedback/", n => n.AsArray().Count == 1 && n[0]!["issue"] is not null);
        var report = feedback[0]!;
        Assert.Equal((errorId, "Sam", "sam@example.com", "The page froze"), (
            report["eventID"]!.GetValue<string>(), report["name"]!.GetValue<string>(), report["email"]!.GetValue<string>(), report["comments"]!.GetValue<string>()));
        Assert.Contains("RangeError", report["issue"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, (await _server.OutcomesAsync())["feedback"]);
    }

    [Fact]
    public async Task A_transaction_is_stored_raw_and_counted()
    {
        var transactionId = NewEventId();
        var (status, body) = await _server.PostEnvelopeAsync(Envelope(Header(transactionId), Json("transaction", Transaction(transactionId))));

        Assert.Equal(200, status);
        Assert.Equal(transactionId, body!["id"]!.GetValue<string>());
        var stored = Assert.Single(_server.StoredItems());
        Assert.Equal(("transaction", "transaction"), (stored.Type, stored.Category));
        Assert.Equal("GET /checkout", JsonNode.Parse(stored.Payload)!["transaction"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, long> { ["transaction"] = 1 }, await _server.OutcomesAsync());
    }

    [Fact]
    public async Task Sessions_are_stored_and_counted_and_answered_with_an_empty_object()
    {
        var (status, body) = await _server.PostEnvelopeAsync(Envelope(
            Header(null),
            Json("session", Session(init: true, "ok", errors: 0)),
            Json("session", Session(init: false, "crashed", errors: 1)),
            Json("sessions", SessionAggregates())));

        Assert.Equal(200, status);
        Assert.Equal("{}", body!.ToJsonString());
        Assert.Equal(["session", "session", "sessions"], _server.StoredItems().Select(i => i.Type));
        Assert.Equal("crashed", JsonNode.Parse(_server.StoredItems()[1].Payload)!["status"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, long> { ["session"] = 3 }, await _server.OutcomesAsync());
    }

    [Fact]
    public async Task A_client_report_is_stored_and_not_itself_counted()
    {
        var (status, body) = await _server.PostEnvelopeAsync(Envelope(Header(null), Json("client_report", ClientReport())));

        Assert.Equal(200, status);
        Assert.Equal("{}", body!.ToJsonString());
        var stored = Assert.Single(_server.StoredItems());
        Assert.Equal(("client_report", "internal"), (stored.Type, stored.Category));
        Assert.Equal("ratelimit_backoff", JsonNode.Parse(stored.Payload)!["discarded_events"]![0]!["reason"]!.GetValue<string>());
        Assert.Empty(await _server.OutcomesAsync()); // Relay counts what it reports (client_discard), not the report
    }

    [Fact]
    public async Task Unknown_types_are_dropped_and_malformed_reports_kept_not_rejected()
    {
        var eventId = NewEventId();
        var (status, _) = await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            ("{\"type\":\"something_new\"}", Encoding.UTF8.GetBytes("opaque")),
            ("{\"type\":\"user_report\"}", Encoding.UTF8.GetBytes("{not json")),
            ("{\"type\":\"log\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.log+json\"}", Encoding.UTF8.GetBytes("{\"version\":2,\"items\":[{},{}]}"))));

        Assert.Equal(200, status);
        Assert.Equal(
            [("user_report", "feedback", "{not json"), ("log", "log_item", "{\"version\":2,\"items\":[{},{}]}")],
            _server.StoredItems());

        // A report that cannot be read is still listed (linked to the envelope's event), with empty fields.
        var report = Assert.Single((await _server.GetJsonAsync("/api/0/projects/acme/web/user-feedback/")).AsArray())!;
        Assert.Equal((eventId, ""), (report["eventID"]!.GetValue<string>(), report["comments"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, long> { ["feedback"] = 1, ["log_item"] = 2 }, await _server.OutcomesAsync());
    }

    [Fact]
    public async Task An_envelope_of_events_only_stores_no_items()
    {
        var eventId = NewEventId();
        Assert.Equal(200, (await _server.PostEnvelopeAsync(Envelope(Header(eventId), Json("event", ErrorEvent(eventId, "TypeError", "x"))))).Status);

        Assert.Empty(_server.StoredItems());
        Assert.Equal(new Dictionary<string, long> { ["error"] = 1 }, await _server.OutcomesAsync());

        // Unknown until the event is stored (Sentry's 404), then an empty list.
        await _server.WaitForStatusAsync($"/api/0/projects/acme/web/events/{eventId}/", HttpStatusCode.OK);
        Assert.Empty((await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/")).AsArray());
    }
}
