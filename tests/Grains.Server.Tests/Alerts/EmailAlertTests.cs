using System.Diagnostics;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Grains.Server.Tests.Alerts;

/// <summary>Email alerts at a real SMTP server: one message per firing, or one digest for a burst.</summary>
public sealed class EmailAlertTests(EmailServer server) : IClassFixture<EmailServer>
{
    private const string Org = "email-org";
    private const string EmailAction = """[{"id":"sentry.mail.actions.NotifyEmailAction","targetType":"IssueOwners","fallthroughType":"ActiveMembers"}]""";

    private async Task<(long ProjectId, string Slug, long IssueId, string EventId, string Recipient)> ProjectAsync(JsonObject? extraOptions = null)
    {
        var slug = "p" + Guid.NewGuid().ToString("N")[..10];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        await AlertTestProjects.DeleteRulesAsync(server, Org, slug);
        var recipient = $"{slug}@example.com";

        // One call configures the recipients (and, here, the digest delay).
        var options = new JsonObject { ["mail:recipients"] = $"{recipient}\nteam-{slug}@example.com" };
        foreach (var (name, value) in extraOptions ?? [])
        {
            options[name] = value?.DeepClone();
        }

        var put = (await server.PutAsync($"/api/0/projects/{Org}/{slug}/", new JsonObject { ["options"] = options })).AssertStatus(200);
        Assert.Equal($"{recipient}\nteam-{slug}@example.com", put.Json!["options"]!["mail:recipients"]!.GetValue<string>());

        var evt = SdkEvents.Error("RangeError", "index out of range", "render", "u1");
        await server.IngestAsync(projectId, key, evt);
        var issues = await server.WaitAsync($"/api/0/projects/{Org}/{slug}/issues/?query=", r => r.Status == 200 && r.Json!.AsArray().Count == 1);
        return (projectId, slug, long.Parse(issues.Json![0]!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), evt["event_id"]!.GetValue<string>(), recipient);
    }

    private static AlertFiring Firing(long projectId, long issueId, string eventId, string label = "Email on new issues") =>
        new(Guid.NewGuid().ToString("N"), projectId, issueId, 3, label, eventId, DateTimeOffset.UtcNow, EmailAction, ["first_seen"]);

    private async Task<List<MimeMessage>> WaitForMailAsync(string recipient, int count, int timeoutMs = 10_000)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var messages = server.Smtp.Messages.Where(m => m.To.Contains(recipient)).Select(m => m.Message).ToList();
            if (messages.Count >= count)
            {
                return messages;
            }

            Assert.True(deadline.ElapsedMilliseconds < timeoutMs, $"expected {count} emails to {recipient}, got {messages.Count}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Each_firing_is_one_email_in_html_and_text_with_a_message_id_from_its_delivery()
    {
        var (projectId, _, issueId, eventId, recipient) = await ProjectAsync();
        var outbox = server.Services.GetRequiredService<IAlertOutbox>();
        var first = Firing(projectId, issueId, eventId);
        var second = Firing(projectId, issueId, eventId, "Email on regressions");

        await outbox.RecordAsync([first]);
        await outbox.RecordAsync([second, first]);

        var messages = await WaitForMailAsync(recipient, 2);
        await Task.Delay(700);
        messages = server.Smtp.Messages.Where(m => m.To.Contains(recipient)).Select(m => m.Message).ToList();
        Assert.Equal(2, messages.Count);
        var expectedIds = new[] { first, second }.Select(f => $"{AlertDeliveryIds.For(f.Id, AlertDeliveryKinds.Email, "")}@grains.example").Order().ToList();
        Assert.Equal(expectedIds, messages.Select(m => m.MessageId ?? "").Order().ToList());

        var message = messages.Single(m => m.MessageId == expectedIds.First(id => id.StartsWith(AlertDeliveryIds.For(first.Id, AlertDeliveryKinds.Email, ""), StringComparison.Ordinal)));
        Assert.Equal("alerts@grains.example", ((MailboxAddress)message.From[0]).Address);
        Assert.Equal(2, message.To.Count);
        Assert.Contains("RangeError", message.Subject, StringComparison.Ordinal);
        Assert.StartsWith("[Grains] ", message.Subject, StringComparison.Ordinal);
        Assert.Contains("index out of range", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://grains.example/organizations/{Org}/issues/{issueId}/", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Email on new issues", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("RangeError", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_within_the_digest_delay_is_one_email()
    {
        var (projectId, _, issueId, eventId, recipient) = await ProjectAsync(new JsonObject { ["digests:mail:minimum_delay"] = 2 });
        var outbox = server.Services.GetRequiredService<IAlertOutbox>();
        var firings = Enumerable.Range(0, 4).Select(i => Firing(projectId, issueId, eventId, $"rule {i}")).ToList();

        var started = Stopwatch.StartNew();
        foreach (var firing in firings)
        {
            await outbox.RecordAsync([firing]);
            await Task.Delay(100);
        }

        var digest = Assert.Single(await WaitForMailAsync(recipient, 1));
        Assert.True(started.ElapsedMilliseconds >= 1_500, $"the digest came after {started.ElapsedMilliseconds} ms, before its delay");
        await Task.Delay(2_500);
        Assert.Single(server.Smtp.Messages, m => m.To.Contains(recipient));
        Assert.Equal(
            AlertDeliveryIds.MessageId([.. firings.Select(f => AlertDeliveryIds.For(f.Id, AlertDeliveryKinds.Email, ""))], "grains.example"),
            digest.MessageId);
        Assert.Contains("4 alerts", digest.Subject, StringComparison.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            Assert.Contains($"rule {i}", digest.TextBody, StringComparison.Ordinal);
        }

        var store = server.Services.GetRequiredService<IAlertDeliveryStore>();
        Assert.Equal(4, (await store.ListAsync(projectId, AlertDeliveryStatus.Delivered, 10)).Count);
    }

    [Fact]
    public async Task Without_recipients_no_email_delivery_is_created()
    {
        var slug = "p" + Guid.NewGuid().ToString("N")[..10];
        var (projectId, _) = await server.CreateProjectAsync(Org, slug);
        var outbox = server.Services.GetRequiredService<IAlertOutbox>();
        await outbox.RecordAsync([Firing(projectId, 1, new string('a', 32))]);

        var store = server.Services.GetRequiredService<IAlertDeliveryStore>();
        var deadline = Stopwatch.StartNew();
        while ((await store.ProjectsDueAsync(DateTimeOffset.UtcNow, 1000)).Contains(projectId))
        {
            Assert.True(deadline.ElapsedMilliseconds < 5_000, "the firing was not expanded");
            await Task.Delay(20);
        }

        Assert.Empty(await store.ListAsync(projectId, null, 10));
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/", new JsonObject { ["options"] = new JsonObject { ["mail:recipients"] = "not an address" } })).AssertStatus(400);
    }

    [Fact]
    public async Task A_new_issue_under_the_default_rule_is_one_email_and_its_next_event_none()
    {
        var slug = "p" + Guid.NewGuid().ToString("N")[..10];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var recipient = $"{slug}@example.com";
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/", new JsonObject { ["options"] = new JsonObject { ["mail:recipients"] = recipient } })).AssertStatus(200);

        await server.IngestAsync(projectId, key, SdkEvents.Error("SyntaxError", "unexpected token", "parse", "u1"));
        var mail = Assert.Single(await WaitForMailAsync(recipient, 1));
        Assert.Contains("SyntaxError", mail.Subject, StringComparison.Ordinal);
        await server.IngestAsync(projectId, key, SdkEvents.Error("SyntaxError", "unexpected token", "parse", "u2"));
        await server.WaitAsync($"/api/0/projects/{Org}/{slug}/issues/?query=", r => r.Status == 200 && r.Json!.AsArray().Count == 1 && r.Json[0]!["count"]!.GetValue<string>() == "2");

        await Task.Delay(1_000);
        Assert.Single(server.Smtp.Messages, m => m.To.Contains(recipient));
        var delivered = (await server.GetAsync($"/api/0/projects/{Org}/{slug}/alert-deliveries/")).AssertStatus(200).Json!.AsArray();
        var only = Assert.Single(delivered)!;
        Assert.Equal(("email", "delivered"), (only["kind"]!.GetValue<string>(), only["status"]!.GetValue<string>()));
        Assert.Equal($"{only["id"]!.GetValue<string>()}@grains.example", mail.MessageId);
    }
}
