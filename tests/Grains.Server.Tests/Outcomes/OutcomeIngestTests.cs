using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.SpikeProtection;
using Microsoft.Extensions.DependencyInjection;
using static Grains.Server.Tests.Items.ItemEnvelopes;

namespace Grains.Server.Tests.Outcomes;

/// <summary>
/// Every item the edge accepts or rejects as invalid is counted, per backend: the rows in the outcome
/// store after a flush, and Sentry's <c>stats_v2</c> over them.
/// </summary>
public abstract class OutcomeIngestTests(bool postgres) : IAsyncLifetime
{
    private readonly OutcomeServer _server = new(postgres);

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private static (string, byte[]) ClientReportNow(string reason, string category, int quantity) =>
        Json("client_report", new JsonObject
        {
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            ["discarded_events"] = new JsonArray(new JsonObject { ["reason"] = reason, ["category"] = category, ["quantity"] = quantity }),
        });

    [Fact]
    public async Task Accepted_events_items_attachments_and_client_reports_become_outcome_rows()
    {
        var eventId = NewEventId();
        var log = Encoding.UTF8.GetBytes("GET /checkout 500\n");
        Assert.Equal(200, await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            Json("event", ErrorEvent(eventId, "CheckoutError", "card declined")),
            Attachment("request.log", log),
            Json("session", Session(true, "ok", 0)),
            ClientReportNow("ratelimit_backoff", "error", 2))));

        // A message without an exception is a `default` event, as Relay counts it.
        Assert.Equal(200, await _server.PostStoreAsync($$"""{"event_id":"{{NewEventId()}}","message":"hello","platform":"python"}"""));

        // The SDK sends the envelope again: the event is accepted again (as Relay counts), the attachment is stored and counted once.
        Assert.Equal(200, await _server.PostEnvelopeAsync(Envelope(Header(eventId), Json("event", ErrorEvent(eventId, "CheckoutError", "card declined")), Attachment("request.log", log))));

        Assert.Equal(
            [
                ("attachment", "accepted", null, log.Length, 1),
                ("attachment_item", "accepted", null, 1, 1),
                ("default", "accepted", null, 1, 1),
                ("error", "accepted", null, 2, 2),
                ("error", "client_discard", "ratelimit_backoff", 2, 1),
                ("session", "accepted", null, 1, 1),
            ],
            await _server.RowsAsync());
    }

    [Fact]
    public async Task Items_rejected_as_malformed_are_invalid_with_Relays_reasons_once_the_project_is_known()
    {
        var eventId = NewEventId();
        var data = Encoding.UTF8.GetBytes("0123456789");
        Assert.Equal(400, await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes("{not json")),
            Attachment("a.txt", data))));
        Assert.Equal(413, await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            Json("event", ErrorEvent(eventId, "Big", new string('x', 1_100_000))))));
        Assert.Equal(400, await _server.PostStoreAsync("{\"event_id\":"));

        // Not counted: nothing to count (an empty body), or no project (an unknown key).
        Assert.Equal(400, await _server.PostStoreAsync(""));
        Assert.Equal(403, await _server.PostEnvelopeAsync(Envelope(Header(eventId), Json("event", ErrorEvent(eventId, "E", "v"))), key: "0123456789abcdef0123456789abcdef"));

        Assert.Equal(
            [
                ("attachment", "invalid", "invalid_json", data.Length, 1),
                ("attachment_item", "invalid", "invalid_json", 1, 1),
                ("error", "invalid", "invalid_json", 2, 2),
                ("error", "invalid", "too_large:event", 1, 1),
            ],
            await _server.RowsAsync());
    }

    [Fact]
    public async Task Stats_v2_answers_in_Sentrys_shape()
    {
        var eventId = NewEventId();
        Assert.Equal(200, await _server.PostEnvelopeAsync(Envelope(
            Header(eventId),
            Json("event", ErrorEvent(eventId, "TypeError", "x")),
            Attachment("a.txt", new byte[100]),
            ClientReportNow("queue_overflow", "transaction", 3))));
        Assert.Equal(200, await _server.PostStoreAsync($$"""{"event_id":"{{NewEventId()}}","message":"hello"}"""));

        var (status, body) = await _server.GetAsync("/api/0/organizations/acme/stats_v2/?field=sum(quantity)&field=sum(times_seen)&groupBy=outcome&groupBy=category&groupBy=reason&statsPeriod=24h&interval=1h");
        Assert.Equal(200, status);
        var intervals = body!["intervals"]!.AsArray();
        Assert.Equal(25, intervals.Count);
        Assert.Equal(intervals[0]!.GetValue<string>(), body["start"]!.GetValue<string>());
        Assert.EndsWith(":00:00Z", body["end"]!.GetValue<string>(), StringComparison.Ordinal);
        var groups = body["groups"]!.AsArray().Select(g => (
            Category: g!["by"]!["category"]!.GetValue<string>(),
            Outcome: g["by"]!["outcome"]!.GetValue<string>(),
            Reason: g["by"]!["reason"]?.GetValue<string>(),
            Quantity: g["totals"]!["sum(quantity)"]!.GetValue<long>(),
            Times: g["totals"]!["sum(times_seen)"]!.GetValue<long>(),
            Series: g["series"]!["sum(quantity)"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray())).ToList();

        // default and error both read `error`, as in Sentry; only groups with data appear.
        Assert.Equal(
            [("attachment", "accepted", null, 100L, 1L), ("attachment_item", "accepted", null, 1L, 1L), ("error", "accepted", null, 2L, 2L), ("transaction", "client_discard", "queue_overflow", 3L, 1L)],
            groups.Select(g => (g.Category, g.Outcome, g.Reason, g.Quantity, g.Times)).OrderBy(g => g.Category, StringComparer.Ordinal));
        Assert.All(groups, g => Assert.Equal((25, g.Quantity), (g.Series.Length, g.Series.Sum())));

        // Grouped by project: totals only.
        (status, body) = await _server.GetAsync("/api/0/organizations/acme/stats_v2/?field=sum(quantity)&groupBy=project&category=error&statsPeriod=1d");
        Assert.Equal(200, status);
        Assert.Null(body!["intervals"]);
        var project = Assert.Single(body["groups"]!.AsArray())!;
        Assert.Equal((_server.ProjectId, 2L), (project["by"]!["project"]!.GetValue<long>(), project["totals"]!["sum(quantity)"]!.GetValue<long>()));
        Assert.Null(project["series"]);

        // Filters: outcome, category and the project itself; nothing for a reason no outcome has.
        (status, body) = await _server.GetAsync($"/api/0/organizations/acme/stats_v2/?field=sum(quantity)&category=attachment&outcome=accepted&project={_server.ProjectId}&statsPeriod=1d&interval=1d");
        Assert.Equal(200, status);
        Assert.Equal(100, Assert.Single(body!["groups"]!.AsArray())!["totals"]!["sum(quantity)"]!.GetValue<long>());
        (_, body) = await _server.GetAsync("/api/0/organizations/acme/stats_v2/?field=sum(quantity)&groupBy=category&reason=spike_protection&statsPeriod=1d");
        Assert.Empty(body!["groups"]!.AsArray());

        // Bad input and other organizations' projects are refused with a reason; the token is required.
        (status, body) = await _server.GetAsync("/api/0/organizations/acme/stats_v2/?field=sum(quantity)&statsPeriod=1d");
        Assert.Equal((400, "Query must have category as groupby or filter"), (status, body!["detail"]!.GetValue<string>()));
        (status, _) = await _server.GetAsync($"/api/0/organizations/acme/stats_v2/?field=sum(quantity)&groupBy=category&project={_server.OtherProjectId}&statsPeriod=1d");
        Assert.Equal(403, status);
        (status, _) = await _server.GetAsync("/api/0/organizations/nope/stats_v2/?field=sum(quantity)&groupBy=category&statsPeriod=1d");
        Assert.Equal(404, status);
        using var anonymous = new HttpClient();
        using var unauthorized = await anonymous.GetAsync(_server.Url + "/api/0/organizations/acme/stats_v2/?field=sum(quantity)&groupBy=category");
        Assert.Equal(401, (int)unauthorized.StatusCode);

        // The other organization sees none of it.
        (_, body) = await _server.GetAsync("/api/0/organizations/other/stats_v2/?field=sum(quantity)&groupBy=category&statsPeriod=1d");
        Assert.Empty(body!["groups"]!.AsArray());
    }

    [Fact]
    public async Task Spike_protection_thresholds_come_from_the_stored_week_its_drops_show_in_stats_and_a_project_can_opt_out()
    {
        // A week of 1,000 accepted errors an hour, as the flusher would have written it.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600;
        var week = Enumerable.Range(1, 168).Select(age => new OutcomeRow(_server.OrganizationId, _server.ProjectId, _server.PublicKey, now - (age * 3600L), "error", OutcomeKind.Accepted, null, 1_000, 1_000)).ToArray();
        Assert.True(await _server.Services.GetRequiredService<IOutcomeStore>().WriteAsync(new OutcomeBatch(Guid.NewGuid(), week)));
        var thresholds = _server.Services.GetRequiredService<SpikeThresholds>();
        await thresholds.RefreshAsync();

        Assert.Equal(3_000, thresholds.HourlyThreshold(_server.OrganizationId, _server.ProjectId, DataCategory.Error));
        Assert.Equal(3_000, thresholds.HourlyThreshold(_server.OrganizationId, _server.ProjectId, DataCategory.Default));
        Assert.Null(thresholds.HourlyThreshold(_server.OrganizationId, _server.ProjectId, DataCategory.Transaction)); // no history
        var (status, body) = await _server.GetAsync("/api/0/projects/acme/web/spike-protection/");
        Assert.Equal(200, status);
        Assert.Equal((true, 3_000L), (body!["enabled"]!.GetValue<bool>(), body["thresholds"]!["error"]!.GetValue<long>()));

        // What the admission drops over the threshold is a rate_limited outcome with reason smart_rate_limit,
        // read back as Sentry names it.
        var recorder = _server.Services.GetRequiredService<IOutcomeRecorder>();
        recorder.Record(new OutcomeEvent(_server.OrganizationId, _server.ProjectId, _server.PublicKey, DataCategory.Error, OutcomeKind.RateLimited, SpikeThresholds.Reason, 5, DateTimeOffset.UtcNow));
        (_, body) = await _server.GetAsync("/api/0/organizations/acme/stats_v2/?field=sum(quantity)&groupBy=reason&groupBy=outcome&category=error&reason=spike_protection&statsPeriod=1h");
        var dropped = Assert.Single(body!["groups"]!.AsArray())!;
        Assert.Equal(("spike_protection", "rate_limited", 5L), (dropped["by"]!["reason"]!.GetValue<string>(), dropped["by"]!["outcome"]!.GetValue<string>(), dropped["totals"]!["sum(quantity)"]!.GetValue<long>()));

        // The project opts out with Sentry's option: it takes effect without waiting for the hourly refresh.
        using var put = await _server.Http.PutAsJsonAsync(_server.Url + "/api/0/projects/acme/web/", new JsonObject { ["options"] = new JsonObject { ["quotas:spike-protection-disabled"] = true } });
        Assert.Equal(200, (int)put.StatusCode);
        Assert.True(JsonNode.Parse(await put.Content.ReadAsStringAsync())!["options"]!["quotas:spike-protection-disabled"]!.GetValue<bool>());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (thresholds.HourlyThreshold(_server.OrganizationId, _server.ProjectId, DataCategory.Error) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the opt-out did not take effect");
            await Task.Delay(20);
        }

        await thresholds.RefreshAsync();
        Assert.Null(thresholds.HourlyThreshold(_server.OrganizationId, _server.ProjectId, DataCategory.Error));
        (_, body) = await _server.GetAsync("/api/0/projects/acme/web/spike-protection/");
        Assert.Equal((false, 0), (body!["enabled"]!.GetValue<bool>(), body["thresholds"]!.AsObject().Count));

        using var bad = await _server.Http.PutAsJsonAsync(_server.Url + "/api/0/projects/acme/web/", new JsonObject { ["options"] = new JsonObject { ["quotas:spike-protection-disabled"] = "maybe" } });
        Assert.Equal(400, (int)bad.StatusCode);
    }
}

public sealed class SqliteOutcomeIngestTests() : OutcomeIngestTests(postgres: false);

public sealed class PostgresOutcomeIngestTests() : OutcomeIngestTests(postgres: true);
