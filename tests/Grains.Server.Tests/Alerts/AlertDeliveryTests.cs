using System.Diagnostics;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Alerts;

/// <summary>The outbox delivered by the project's deliverer to webhooks: once, with retries and back-off, dead letters that block nothing.</summary>
public sealed class AlertDeliveryTests(AlertServer server) : IClassFixture<AlertServer>
{
    private const string Org = "alerts-org";
    private const string WebhooksAction = """[{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"webhooks"}]""";

    private static string Slug() => "p" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A project with the webhooks plugin on at <paramref name="urls"/>, and one issue with one event.</summary>
    private async Task<(long ProjectId, string Slug, long IssueId, string EventId)> ProjectWithIssueAsync(params string[] urls)
    {
        var slug = Slug();
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        await AlertTestProjects.DeleteRulesAsync(server, Org, slug);
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/plugins/webhooks/", new JsonObject { ["urls"] = string.Join('\n', urls) })).AssertStatus(200);
        (await server.SendAsync(HttpMethod.Post, $"/api/0/projects/{Org}/{slug}/plugins/webhooks/")).AssertStatus(201);
        var evt = SdkEvents.Error("TypeError", "x is undefined", "checkout", "u1");
        await server.IngestAsync(projectId, key, evt);
        var issues = await server.WaitAsync($"/api/0/projects/{Org}/{slug}/issues/?query=", r => r.Status == 200 && r.Json!.AsArray().Count == 1);
        var issueId = long.Parse(issues.Json![0]!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        return (projectId, slug, issueId, evt["event_id"]!.GetValue<string>());
    }

    private static AlertFiring Firing(long projectId, long issueId, string eventId, string actions = WebhooksAction, string label = "Send a notification for new issues") =>
        new(Guid.NewGuid().ToString("N"), projectId, issueId, 1, label, eventId, DateTimeOffset.UtcNow, actions, ["first_seen"]);

    private static async Task<IReadOnlyList<WebhookReceiver.Received>> WaitForAsync(Func<IReadOnlyList<WebhookReceiver.Received>> read, int count, int timeoutMs = 10_000)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var requests = read();
            if (requests.Count >= count)
            {
                return requests;
            }

            Assert.True(deadline.ElapsedMilliseconds < timeoutMs, $"expected {count} requests, got {requests.Count} within {timeoutMs} ms");
            await Task.Delay(20);
        }
    }

    private async Task<AlertDelivery> WaitForStatusAsync(string deliveryId, AlertDeliveryStatus status, int timeoutMs = 15_000)
    {
        var store = server.Services.GetRequiredService<IAlertDeliveryStore>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var delivery = await store.GetAsync(deliveryId);
            if (delivery?.Status == status)
            {
                return delivery;
            }

            Assert.True(deadline.ElapsedMilliseconds < timeoutMs, $"delivery {deliveryId} is {delivery?.Status.ToString() ?? "absent"}, expected {status}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_firing_reaches_each_webhook_url_once_with_the_plugin_payload_and_the_delivery_id()
    {
        var a = $"{server.Receiver.Url}/ok/{Guid.NewGuid():N}";
        var b = $"{server.Receiver.Url}/ok/{Guid.NewGuid():N}";
        var (projectId, slug, issueId, eventId) = await ProjectWithIssueAsync(a, b);
        var firing = Firing(projectId, issueId, eventId);

        await server.Outbox.RecordAsync([firing]);
        await server.Outbox.RecordAsync([firing]); // a redelivered batch records the same firing again

        var toA = (await WaitForAsync(() => server.Receiver.To(new Uri(a).AbsolutePath), 1)).Single();
        var toB = (await WaitForAsync(() => server.Receiver.To(new Uri(b).AbsolutePath), 1)).Single();
        Assert.Equal(AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, a), toA.DeliveryId);
        Assert.Equal(AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, b), toB.DeliveryId);
        Assert.StartsWith("sentry-webhooks/", toA.UserAgent, StringComparison.Ordinal);

        var body = toA.Json;
        Assert.Equal(issueId.ToString(System.Globalization.CultureInfo.InvariantCulture), body["id"]!.GetValue<string>());
        Assert.Equal(slug, body["project"]!.GetValue<string>());
        Assert.Equal(slug, body["project_name"]!.GetValue<string>());
        Assert.Equal(slug, body["project_slug"]!.GetValue<string>());
        Assert.Equal("error", body["level"]!.GetValue<string>());
        Assert.True(body.ContainsKey("logger"));
        Assert.False(string.IsNullOrEmpty(body["culprit"]!.GetValue<string>()));
        Assert.Contains("x is undefined", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"https://grains.example/organizations/{Org}/issues/{issueId}/?referrer=webhooks_plugin", body["url"]!.GetValue<string>());
        Assert.Equal(["Send a notification for new issues"], body["triggering_rules"]!.AsArray().Select(r => r!.GetValue<string>()));
        var evt = body["event"]!.AsObject();
        Assert.Equal(eventId, evt["event_id"]!.GetValue<string>());
        Assert.Equal(eventId, evt["id"]!.GetValue<string>());
        var tags = evt["tags"]!.AsArray().Select(t => (t![0]!.GetValue<string>(), t[1]!.GetValue<string>())).ToList();
        Assert.Contains(("feature", "checkout"), tags);
        Assert.Contains(("level", "error"), tags);
        Assert.Equal("TypeError", evt["exception"]!["values"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("production", evt["environment"]!.GetValue<string>());

        // Nothing more arrives: one request per URL for the firing recorded twice.
        await Task.Delay(700);
        Assert.Single(server.Receiver.To(new Uri(a).AbsolutePath));
        Assert.Single(server.Receiver.To(new Uri(b).AbsolutePath));
        var delivered = (await server.GetAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/?status=delivered")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, d => Assert.Equal(1, d!["attempts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_the_notification_once_after_logged_back_offs()
    {
        var url = $"{server.Receiver.Url}/fail3/{Guid.NewGuid():N}";
        var (projectId, _, issueId, eventId) = await ProjectWithIssueAsync(url);
        var firing = Firing(projectId, issueId, eventId);
        var deliveryId = AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, url);

        await server.Outbox.RecordAsync([firing]);

        var delivery = await WaitForStatusAsync(deliveryId, AlertDeliveryStatus.Delivered);
        Assert.Equal(4, delivery.Attempts);
        await AlertTestProjects.WaitForLogAsync(server.Logs.Lines, l => l.Contains(deliveryId, StringComparison.Ordinal) && l.Contains("delivered on attempt 4", StringComparison.Ordinal));
        await Task.Delay(500);
        var requests = server.Receiver.To(new Uri(url).AbsolutePath);
        Assert.Equal([500, 500, 500, 200], requests.Select(r => r.Status));
        Assert.All(requests, r => Assert.Equal(deliveryId, r.DeliveryId));

        // Each retry waited at least half its back-off step (200, 400, 800 ms capped) and is in the log with its attempt and delay.
        for (var i = 1; i < requests.Count; i++)
        {
            var step = Math.Min(200 * Math.Pow(2, i - 1), 800);
            Assert.True((requests[i].At - requests[i - 1].At).TotalMilliseconds >= (step / 2) - 20, $"retry {i} came after {(requests[i].At - requests[i - 1].At).TotalMilliseconds} ms");
        }

        var retries = server.Logs.Lines.Where(l => l.Contains(deliveryId, StringComparison.Ordinal) && l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, retries.Count);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Contains(retries, l => l.Contains($"attempt {attempt} of 4 failed: HTTP 500", StringComparison.Ordinal));
        }

        Assert.Single(server.Logs.Lines, l => l.Contains(deliveryId, StringComparison.Ordinal) && l.Contains("delivered on attempt 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_dead_without_delaying_other_destinations_and_can_be_retried()
    {
        var hang = $"{server.Receiver.Url}/hang/{Guid.NewGuid():N}";
        var sameProject = $"{server.Receiver.Url}/ok/{Guid.NewGuid():N}";
        var (projectId, slug, issueId, eventId) = await ProjectWithIssueAsync(hang, sameProject);
        var other = $"{server.Receiver.Url}/ok/{Guid.NewGuid():N}";
        var (otherProject, _, otherIssue, otherEvent) = await ProjectWithIssueAsync(other);
        var firing = Firing(projectId, issueId, eventId);
        var hangId = AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, hang);

        var started = Stopwatch.StartNew();
        await server.Outbox.RecordAsync([firing]);
        await WaitForAsync(() => server.Receiver.To(new Uri(hang).AbsolutePath), 1);
        await server.Outbox.RecordAsync([Firing(otherProject, otherIssue, otherEvent)]);

        // The other URL of the same firing and another project's webhook arrive while the first still hangs
        // in its retries (it cannot be dead before 4 timeouts and 3 back-offs, about 2.7 s).
        await WaitForAsync(() => server.Receiver.To(new Uri(sameProject).AbsolutePath), 1);
        await WaitForAsync(() => server.Receiver.To(new Uri(other).AbsolutePath), 1);
        var meanwhile = await server.Services.GetRequiredService<IAlertDeliveryStore>().GetAsync(hangId);
        Assert.Equal(AlertDeliveryStatus.Pending, meanwhile!.Status);
        Assert.True(started.ElapsedMilliseconds < 2_700, $"other deliveries took {started.ElapsedMilliseconds} ms");

        var dead = await WaitForStatusAsync(hangId, AlertDeliveryStatus.Dead);
        Assert.Equal(4, dead.Attempts);
        Assert.StartsWith("timed out after 500 ms", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(4, server.Receiver.To(new Uri(hang).AbsolutePath).Count);
        await AlertTestProjects.WaitForLogAsync(server.Logs.Lines, l => l.Contains(hangId, StringComparison.Ordinal) && l.Contains("dead-lettered after attempt 4", StringComparison.Ordinal));

        var listed = (await server.GetAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/?status=dead")).AssertStatus(200).Json!.AsArray();
        var entry = Assert.Single(listed)!;
        Assert.Equal(hangId, entry["id"]!.GetValue<string>());
        Assert.Equal("webhooks", entry["kind"]!.GetValue<string>());
        Assert.Equal(issueId.ToString(System.Globalization.CultureInfo.InvariantCulture), entry["issueId"]!.GetValue<string>());
        (await server.GetAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/?status=lost")).AssertStatus(400);
        (await server.PostAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/{new string('0', 32)}/retry/", new JsonObject())).AssertStatus(404);

        var retried = (await server.PostAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/{hangId}/retry/", new JsonObject())).AssertStatus(202);
        Assert.Equal("pending", retried.Json!["status"]!.GetValue<string>());
        await WaitForAsync(() => server.Receiver.To(new Uri(hang).AbsolutePath), 5);
        var again = await WaitForStatusAsync(hangId, AlertDeliveryStatus.Dead);
        Assert.Equal(4, again.Attempts);
        (await server.PostAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/{AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, sameProject)}/retry/", new JsonObject())).AssertStatus(409);
    }

    [Fact]
    public async Task Urls_with_credentials_or_queries_are_never_logged_whole()
    {
        var url = $"{server.Receiver.Url.Replace("http://", "http://user:s3cret@", StringComparison.Ordinal)}/fail1/{Guid.NewGuid():N}?token=t0psecret";
        var (projectId, _, issueId, eventId) = await ProjectWithIssueAsync(url);
        var firing = Firing(projectId, issueId, eventId);

        await server.Outbox.RecordAsync([firing]);

        await WaitForStatusAsync(AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Webhooks, url), AlertDeliveryStatus.Delivered);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("s3cret", StringComparison.Ordinal) || l.Contains("t0psecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_disabled_plugin_gets_no_delivery()
    {
        var url = $"{server.Receiver.Url}/ok/{Guid.NewGuid():N}";
        var (projectId, slug, issueId, eventId) = await ProjectWithIssueAsync(url);
        (await server.DeleteAsync($"/api/0/projects/{Org}/{slug}/plugins/webhooks/")).AssertStatus(204);

        await server.Outbox.RecordAsync([Firing(projectId, issueId, eventId)]);
        await server.Outbox.RecordAsync([Firing(projectId, issueId, eventId, actions: """[{"id":"sentry.rules.actions.notify_event.NotifyEventAction"}]""")]);

        var store = server.Services.GetRequiredService<IAlertDeliveryStore>();
        var deadline = Stopwatch.StartNew();
        while ((await store.ProjectsDueAsync(DateTimeOffset.UtcNow, 1000)).Contains(projectId))
        {
            Assert.True(deadline.ElapsedMilliseconds < 5_000, "the firings were not expanded");
            await Task.Delay(20);
        }

        Assert.Empty(await store.ListAsync(projectId, null, 10));
        Assert.Empty(server.Receiver.To(new Uri(url).AbsolutePath));
    }

    [Fact]
    public async Task A_slack_firing_posts_text_and_blocks_to_the_incoming_webhook_once()
    {
        var (projectId, slug, issueId, eventId) = await ProjectWithIssueAsync($"{server.Receiver.Url}/ok/{Guid.NewGuid():N}");
        var hook = $"/ok/slack/{Guid.NewGuid():N}";
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/plugins/slack/", new JsonObject { ["webhook"] = server.Receiver.Url + hook, ["channel"] = "#alerts", ["username"] = "grains" })).AssertStatus(200);
        (await server.SendAsync(HttpMethod.Post, $"/api/0/projects/{Org}/{slug}/plugins/slack/")).AssertStatus(201);
        var firing = Firing(projectId, issueId, eventId, """[{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"slack"}]""");

        await server.Outbox.RecordAsync([firing]);

        var post = (await WaitForAsync(() => server.Receiver.To(hook), 1)).Single();
        Assert.Equal(AlertDeliveryIds.For(firing.Id, AlertDeliveryKinds.Slack, ""), post.DeliveryId);
        var body = post.Json;
        Assert.Contains("TypeError", body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("#alerts", body["channel"]!.GetValue<string>());
        Assert.Equal("grains", body["username"]!.GetValue<string>());
        var blocks = body["blocks"]!.AsArray();
        Assert.Equal("section", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains($"https://grains.example/organizations/{Org}/issues/{issueId}/?referrer=slack", blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(server.Receiver.To(hook));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(hook, StringComparison.Ordinal));
    }
}
