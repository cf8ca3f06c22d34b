using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// Alert rules evaluated in the issue grain's turn: a batch whose commit fails (as a crash before it would)
/// is delivered again, decides the same firing ids, and its commit stores each firing once; a rule's
/// throttle holds across later events of the issue.
/// </summary>
public sealed class IssueGrainAlertTests(IssueGrainAlertTests.Server server) : IClassFixture<IssueGrainAlertTests.Server>
{
    private const string Org = "alerts-org";

    /// <summary>A server whose alert outbox is <see cref="Outbox"/> and whose issue batch store is <see cref="Batches"/> (registered last).</summary>
    public sealed class Server : ApiServer
    {
        public RecordingOutbox Outbox { get; } = new();

        public FlakyIssueBatches Batches { get; } = new();

        protected override void Configure(WebApplicationBuilder builder) =>
            builder.Host.UseServiceProviderFactory(new LastWordFactory(services =>
            {
                services.AddSingleton<IAlertOutbox>(Outbox);
                services.AddSingleton<IIssueBatchStore>(sp =>
                {
                    Batches.Inner = sp.GetRequiredService<SqliteIssueStore>();
                    return Batches;
                });
            }));
    }

    /// <summary>Records the firings of every committed batch (the wake-up calls).</summary>
    public sealed class RecordingOutbox : IAlertOutbox
    {
        public ConcurrentQueue<IReadOnlyList<AlertFiring>> Calls { get; } = new();

        public Task RecordAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the issue grain commits its firings with its batch");

        public Task CommittedAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue(firings);
            return Task.CompletedTask;
        }

        public IReadOnlyList<AlertFiring> For(long projectId) => [.. Calls.SelectMany(c => c).Where(f => f.ProjectId == projectId)];
    }

    private static JsonObject Event(string eventId, string fingerprint, string environment = "production") => new()
    {
        ["event_id"] = eventId,
        ["platform"] = "node",
        ["level"] = "error",
        ["environment"] = environment,
        ["message"] = fingerprint,
        ["fingerprint"] = new JsonArray(fingerprint),
    };

    [Fact]
    public async Task A_redelivered_batch_records_the_same_firings_and_the_throttle_holds_across_events()
    {
        var slug = "p" + Guid.NewGuid().ToString("N")[..8];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var rules = $"/api/0/projects/{Org}/{slug}/rules/";
        var defaultRule = long.Parse(Assert.Single((await server.GetAsync(rules)).Json!.AsArray())!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // No conditions with "all": every event of an unresolved issue, at most once per issue per 5 minutes.
        var everyEvent = (await server.PostAsync(rules, new JsonObject
        {
            ["name"] = "every event",
            ["actionMatch"] = "all",
            ["frequency"] = 5,
            ["actions"] = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.NotifyEvent }),
        })).AssertStatus(200).Json!["id"]!.GetValue<string>();

        var first = Guid.NewGuid().ToString("N");
        server.Batches.FailBefore[first] = 1;
        await server.IngestAsync(projectId, key, Event(first, "alerts-" + slug));
        await WaitAsync(() => server.Outbox.For(projectId).Count(f => f.EventId == first) >= 2, "the failed batch to be delivered again and committed");

        // The failed attempt and the committed one decided the same firings; the commit stored each once.
        var attempts = server.Batches.Attempts.Where(w => w.Events.Any(e => e.EventId == first)).Select(w => w.Firings?.Firings ?? []).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0], attempts[1], FiringComparer.Instance);
        var calls = server.Outbox.Calls.Where(c => c.Any(f => f.ProjectId == projectId)).ToList();
        Assert.Equal(attempts[1], Assert.Single(calls), FiringComparer.Instance);
        var store = server.Services.GetRequiredService<IAlertDeliveryStore>();
        foreach (var fired in attempts[1])
        {
            Assert.True(FiringComparer.Instance.Equals(fired, await store.GetFiringAsync(fired.Id)), $"firing {fired.Id} stored as decided");
        }

        var firings = calls[0];
        Assert.Equal([defaultRule, long.Parse(everyEvent, System.Globalization.CultureInfo.InvariantCulture)], firings.Select(f => f.RuleId).Order());
        Assert.All(firings, f => Assert.Matches("^[0-9a-f]{32}$", f.Id));
        Assert.Equal(2, firings.Select(f => f.Id).Distinct().Count());
        var firstSeen = Assert.Single(firings, f => f.RuleId == defaultRule);
        Assert.Equal(["first_seen"], firstSeen.Reasons);
        Assert.Equal(DefaultAlertRule.Label, firstSeen.RuleLabel);
        Assert.Contains(RuleNodeIds.NotifyEmail, firstSeen.ActionsJson, StringComparison.Ordinal);

        // Two more events of the issue: not new (the default rule stays quiet) and within the 5-minute throttle.
        for (var i = 0; i < 2; i++)
        {
            await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), "alerts-" + slug));
        }

        var issues = $"/api/0/projects/{Org}/{slug}/issues/";
        await server.WaitAsync(issues, r => r.Status == 200 && r.Json!.AsArray().Count == 1 && r.Json[0]!["count"]!.GetValue<string>() == "3");
        Assert.Equal(2, server.Outbox.For(projectId).Select(f => f.Id).Distinct().Count());

        // A new issue fires both rules again (its own throttle).
        var other = Guid.NewGuid().ToString("N");
        await server.IngestAsync(projectId, key, Event(other, "alerts-other-" + slug));
        await WaitAsync(() => server.Outbox.For(projectId).Count(f => f.EventId == other) == 2, "the second issue's firings");
        Assert.Equal(4, server.Outbox.For(projectId).Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_rule_with_an_environment_fires_on_the_issues_first_event_there()
    {
        var slug = "e" + Guid.NewGuid().ToString("N")[..8];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var rules = $"/api/0/projects/{Org}/{slug}/rules/";
        var defaultRule = Assert.Single((await server.GetAsync(rules)).Json!.AsArray())!["id"]!.GetValue<string>();
        (await server.DeleteAsync(rules + defaultRule + "/")).AssertStatus(202);
        (await server.PostAsync(rules, new JsonObject
        {
            ["name"] = "new in staging",
            ["actionMatch"] = "all",
            ["environment"] = "staging",
            ["conditions"] = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.FirstSeen }),
            ["actions"] = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.NotifyEvent }),
        })).AssertStatus(200);

        var fingerprint = "env-" + slug;
        await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), fingerprint, "production"));
        var staging = Guid.NewGuid().ToString("N");
        await server.IngestAsync(projectId, key, Event(staging, fingerprint, "staging"));
        await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), fingerprint, "staging"));

        var issues = $"/api/0/projects/{Org}/{slug}/issues/";
        await server.WaitAsync(issues, r => r.Status == 200 && r.Json!.AsArray().Count == 1 && r.Json[0]!["count"]!.GetValue<string>() == "3");
        var firing = Assert.Single(server.Outbox.For(projectId));
        Assert.Equal(staging, firing.EventId);
    }

    [Fact]
    public async Task Frequency_regression_and_latest_release_rules_fire_from_the_grains_own_counts_and_workflow()
    {
        var slug = "w" + Guid.NewGuid().ToString("N")[..8];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var rules = $"/api/0/projects/{Org}/{slug}/rules/";
        var defaultRule = Assert.Single((await server.GetAsync(rules)).Json!.AsArray())!["id"]!.GetValue<string>();
        (await server.DeleteAsync(rules + defaultRule + "/")).AssertStatus(202);
        var notify = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.NotifyEvent });
        async Task<long> RuleAsync(string name, JsonArray conditions, JsonArray? filters = null)
        {
            var body = new JsonObject { ["name"] = name, ["actionMatch"] = "all", ["filterMatch"] = "all", ["frequency"] = 5, ["conditions"] = conditions, ["actions"] = notify.DeepClone() };
            if (filters is not null)
            {
                body["filters"] = filters;
            }

            var id = (await server.PostAsync(rules, body)).AssertStatus(200).Json!["id"]!.GetValue<string>();
            return long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
        }

        var regressed = await RuleAsync("regressed", [new JsonObject { ["id"] = RuleNodeIds.Regression }]);
        var busy = await RuleAsync("busy", [new JsonObject { ["id"] = RuleNodeIds.EventFrequency, ["value"] = 2, ["interval"] = "1h" }]);
        var latest = await RuleAsync("latest", [], [new JsonObject { ["id"] = RuleNodeIds.LatestRelease }]);

        var issues = $"/api/0/projects/{Org}/{slug}/issues/";
        var count = 0;
        async Task<string> SendAsync(string fingerprint, string release)
        {
            var id = Guid.NewGuid().ToString("N");
            var evt = Event(id, fingerprint);
            evt["release"] = release;
            await server.IngestAsync(projectId, key, evt);
            count++;
            await server.WaitAsync(issues, r => r.Status == 200 && r.Json!.AsArray().Sum(i => int.Parse(i!["count"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)) == count);
            return id;
        }

        IEnumerable<long> Fired(string eventId) => server.Outbox.For(projectId).Where(f => f.EventId == eventId).Select(f => f.RuleId).Distinct().Order();

        // A new release is the latest (its first event is being applied).
        var first = await SendAsync("fa-" + slug, "1.0.0");
        Assert.Equal([latest], Fired(first));
        Assert.Empty(Fired(await SendAsync("fa-" + slug, "1.0.0")));

        // The third event in the hour is more than 2.
        Assert.Equal([busy], Fired(await SendAsync("fa-" + slug, "1.0.0")));

        // Resolved, then an event: a regression (plain resolve), the other rules are throttled.
        var issueId = (await server.GetAsync(issues)).Json![0]!["id"]!.GetValue<string>();
        (await server.PutAsync($"/api/0/organizations/{Org}/issues/{issueId}/", new JsonObject { ["status"] = "resolved" })).AssertStatus(200);
        Assert.Equal([regressed], Fired(await SendAsync("fa-" + slug, "1.0.0")));

        // Another issue from an older semver release: not the latest.
        Assert.Empty(Fired(await SendAsync("fb-" + slug, "0.9.0")));
        Assert.Equal([latest], Fired(await SendAsync("fc-" + slug, "1.0.0")));
    }

    private static async Task WaitAsync(Func<bool> condition, string what, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(25);
        }
    }

    private sealed class FiringComparer : IEqualityComparer<AlertFiring>
    {
        public static readonly FiringComparer Instance = new();

        public bool Equals(AlertFiring? x, AlertFiring? y) =>
            x is not null && y is not null && x.Id == y.Id && x.RuleId == y.RuleId && x.EventId == y.EventId && x.FiredAt == y.FiredAt
            && x.IssueId == y.IssueId && x.ActionsJson == y.ActionsJson && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(AlertFiring obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
