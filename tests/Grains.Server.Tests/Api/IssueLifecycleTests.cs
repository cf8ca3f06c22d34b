using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>
/// Issues made by the real ingest edge and issue grains: detail, events, grouping info, hashes,
/// tags, and status changes (single and bulk) through the grains.
/// </summary>
public sealed class IssueLifecycleTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    private const string Org = "life";
    private long _projectId;
    private string _key = "";
    private string _project = "";

    public async Task InitializeAsync()
    {
        // Each test gets its own project, so issue lists and statuses do not interfere.
        _project = "p" + Guid.NewGuid().ToString("N")[..8];
        (_projectId, _key) = await server.CreateProjectAsync(Org, _project);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_ingested_error_reads_back_with_counts_tags_and_events()
    {
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("TypeError", "cart is undefined", "applyCoupon", "u1"));
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("TypeError", "cart is undefined", "applyCoupon", "u2"));
        var issue = await WaitForIssueAsync("TypeError: cart is undefined", count: 2);

        Assert.Equal("2", issue["count"]!.GetValue<string>());
        Assert.Equal(2, issue["userCount"]!.GetValue<long>());
        Assert.Equal($"{_project.ToUpperInvariant()}-1", issue["shortId"]!.GetValue<string>());
        Assert.Equal("TypeError", issue["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal("cart is undefined", issue["metadata"]!["value"]!.GetValue<string>());
        Assert.Equal("high", issue["priority"]!.GetValue<string>());
        Assert.Equal("javascript", issue["platform"]!.GetValue<string>());
        var id = issue["id"]!.GetValue<string>();

        var detail = (await server.GetAsync($"/api/0/organizations/{Org}/issues/{issue["shortId"]!.GetValue<string>()}/")).AssertStatus(200).Json!;
        Assert.Equal(id, detail["id"]!.GetValue<string>());
        Assert.Equal("web@1.0.0", detail["firstRelease"]!["version"]!.GetValue<string>());
        var tagKeys = detail["tags"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()).ToList();
        Assert.Contains("feature", tagKeys);
        Assert.Contains("environment", tagKeys);
        Assert.Contains("browser.name", tagKeys);
        Assert.Equal(2, detail["stats"]!["24h"]!.AsArray().Sum(b => b![1]!.GetValue<long>()));

        var tags = (await server.GetAsync($"/api/0/issues/{id}/tags/")).AssertStatus(200).Json!.AsArray();
        var user = tags.Single(t => t!["key"]!.GetValue<string>() == "user")!;
        Assert.Equal("User", user["name"]!.GetValue<string>());
        Assert.Equal(2, user["uniqueValues"]!.GetValue<long>());
        Assert.Equal(2, user["totalValues"]!.GetValue<long>());
        var top = user["topValues"]!.AsArray().Select(v => (v!["value"]!.GetValue<string>(), v!["name"]!.GetValue<string>(), v!["count"]!.GetValue<long>())).OrderBy(v => v.Item1).ToList();
        Assert.Equal([("id:u1", "u1", 1L), ("id:u2", "u2", 1L)], top);
        Assert.Equal("Browser.Name", tags.Single(t => t!["key"]!.GetValue<string>() == "browser.name")!["name"]!.GetValue<string>());
        var release = (await server.GetAsync($"/api/0/issues/{id}/tags/sentry:release/")).AssertStatus(200).Json!;
        Assert.Equal("release", release["key"]!.GetValue<string>());
        var userValues = (await server.GetAsync($"/api/0/issues/{id}/tags/user/values/?limit=1")).AssertStatus(200);
        Assert.Single(userValues.Json!.AsArray());
        var valuesLink = LinkHeader.Parse(userValues.Link);
        Assert.True(valuesLink.Next.Results);
        var rest = (await server.GetAsync(LinkHeader.PathAndQuery(valuesLink.Next))).AssertStatus(200);
        Assert.Single(rest.Json!.AsArray());
        Assert.False(LinkHeader.Parse(rest.Link).Next.Results);

        var events = (await server.GetAsync($"/api/0/issues/{id}/events/")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(id, e!["groupID"]!.GetValue<string>()));
        Assert.Equal("u2", events[0]!["user"]!["id"]!.GetValue<string>());
        Assert.Equal("u2@example.com", events[0]!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("/app/src/checkout.js", events[0]!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_event_detail_has_sentry_entries_and_the_grouping_info()
    {
        var sent = SdkEvents.Error("RangeError", "too deep", "recurse", "u1");
        await server.IngestAsync(_projectId, _key, sent);
        var issue = await WaitForIssueAsync("RangeError: too deep");
        var id = issue["id"]!.GetValue<string>();
        var eventId = sent["event_id"]!.GetValue<string>();

        var detail = (await server.GetAsync($"/api/0/issues/{id}/events/latest/")).AssertStatus(200).Json!;
        Assert.Equal(eventId, detail["eventID"]!.GetValue<string>());
        Assert.Equal(eventId, detail["id"]!.GetValue<string>());
        Assert.Equal(id, detail["groupID"]!.GetValue<string>());
        Assert.Equal(_projectId.ToString(CultureInfo.InvariantCulture), detail["projectID"]!.GetValue<string>());
        Assert.Equal("RangeError: too deep", detail["title"]!.GetValue<string>());
        Assert.Equal("error", detail["type"]!.GetValue<string>());
        Assert.Equal("RangeError", detail["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal("recurse", detail["metadata"]!["function"]!.GetValue<string>());
        Assert.EndsWith("Z", detail["dateCreated"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Z", detail["dateReceived"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sentry.javascript.node", detail["sdk"]!["name"]!.GetValue<string>());
        Assert.Equal("Chrome", detail["contexts"]!["browser"]!["name"]!.GetValue<string>());
        Assert.Equal("web@1.0.0", detail["release"]!["version"]!.GetValue<string>());
        Assert.Contains(detail["tags"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "feature" && t["value"]!.GetValue<string>() == "checkout");
        Assert.Null(detail["nextEventID"]);
        Assert.Null(detail["previousEventID"]);
        Assert.NotEmpty(detail["fingerprints"]!.AsArray());
        Assert.Equal("newstyle:2026-01-20", detail["groupingConfig"]!["id"]!.GetValue<string>());

        var entries = detail["entries"]!.AsArray();
        Assert.Equal(["exception", "breadcrumbs", "request"], entries.Select(e => e!["type"]!.GetValue<string>()));
        var exception = entries[0]!["data"]!;
        Assert.True(exception["hasSystemFrames"]!.GetValue<bool>());
        var value = exception["values"]![0]!;
        Assert.Equal("RangeError", value["type"]!.GetValue<string>());
        Assert.False(value["mechanism"]!["handled"]!.GetValue<bool>());
        var frame = value["stacktrace"]!["frames"]!.AsArray()[^1]!;
        Assert.Equal("recurse", frame["function"]!.GetValue<string>());
        Assert.Equal("/app/src/checkout.js", frame["absPath"]!.GetValue<string>());
        Assert.Equal(10, frame["lineNo"]!.GetValue<long>());
        Assert.Equal(5, frame["colNo"]!.GetValue<long>());
        Assert.True(frame["inApp"]!.GetValue<bool>());
        Assert.Equal("[[9,\"function pay() {\"],[10,\"  recurse();\"],[11,\"}\"]]", frame["context"]!.ToJsonString());
        var crumb = entries[1]!["data"]!["values"]![0]!;
        Assert.Equal("navigation", crumb["category"]!.GetValue<string>());
        Assert.EndsWith("Z", crumb["timestamp"]!.GetValue<string>(), StringComparison.Ordinal);
        var request = entries[2]!["data"]!;
        Assert.Equal("POST", request["method"]!.GetValue<string>());
        Assert.Equal("[[\"step\",\"2\"],[\"coupon\",\"x\"]]", request["query"]!.ToJsonString());
        Assert.Equal("application/json", request["inferredContentType"]!.GetValue<string>());

        var projectEvent = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{eventId}/")).AssertStatus(200).Json!;
        Assert.Equal(eventId, projectEvent["eventID"]!.GetValue<string>());
        Assert.Equal("newstyle:2026-01-20", projectEvent["groupingInfo"]!["grouping_config"]!.GetValue<string>());
        var grouping = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{eventId}/grouping-info/")).AssertStatus(200).Json!;
        Assert.Equal(JsonValueKind.Object, grouping["variants"]!.GetValueKind());
        Assert.Equal(detail["fingerprints"]!.ToJsonString(), grouping["hashes"]!.ToJsonString());

        var hashes = (await server.GetAsync($"/api/0/issues/{id}/hashes/")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(detail["fingerprints"]!.AsArray().Select(h => h!.GetValue<string>()).Order(), hashes.Select(h => h!["id"]!.GetValue<string>()).Order());
        Assert.All(hashes, h => Assert.Equal(eventId, h!["latestEvent"]!["eventID"]!.GetValue<string>()));

        (await server.GetAsync($"/api/0/projects/{Org}/{_project}/events/{new string('0', 32)}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/{Org}/nope/events/{eventId}/")).AssertStatus(404);
    }

    [Fact]
    public async Task A_message_event_has_a_message_entry()
    {
        var sent = SdkEvents.Message("Payment provider timed out");
        await server.IngestAsync(_projectId, _key, sent);
        var issue = await WaitForIssueAsync("Payment provider timed out");

        Assert.Equal("default", issue["type"]!.GetValue<string>());
        Assert.Equal("low", issue["priority"]!.GetValue<string>());
        var detail = (await server.GetAsync($"/api/0/issues/{issue["id"]!.GetValue<string>()}/events/oldest/")).AssertStatus(200).Json!;
        var message = Assert.Single(detail["entries"]!.AsArray())!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("Payment provider timed out", message["data"]!["formatted"]!.GetValue<string>());
        Assert.Equal("Payment provider timed out", detail["metadata"]!["title"]!.GetValue<string>());
        // A JavaScript event without a user gets the client's address inferred, as Relay does.
        Assert.Equal("127.0.0.1", detail["user"]!["ip_address"]!.GetValue<string>());
        Assert.Null(detail["user"]!["id"]);
    }

    [Fact]
    public async Task Status_changes_go_through_the_grain_answer_the_change_set_and_a_new_event_regresses_a_plain_resolve()
    {
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("Error", "status test", "handler", "u1"));
        var id = (await WaitForIssueAsync("Error: status test"))["id"]!.GetValue<string>();
        var path = $"/api/0/issues/{id}/";

        var resolved = (await server.PutAsync(path, new JsonObject { ["status"] = "resolved", ["hasSeen"] = true })).AssertStatus(200).Json!;
        Assert.Equal("resolved", resolved["status"]!.GetValue<string>());
        Assert.Null(resolved["substatus"]);

        // Sentry answers the change set, not the issue.
        Assert.Null(resolved["id"]);
        Assert.Equal("{}", resolved["statusDetails"]!.ToJsonString());
        Assert.Contains(await ListIdsAsync("is:resolved"), i => i == id);
        Assert.DoesNotContain(await ListIdsAsync(null), i => i == id);

        var ignored = (await server.PutAsync($"/api/0/organizations/{Org}/issues/{id}/", new JsonObject
        {
            ["status"] = "ignored",
            ["statusDetails"] = new JsonObject { ["ignoreCount"] = 100, ["ignoreWindow"] = 60 },
        })).AssertStatus(200).Json!;
        Assert.Equal("ignored", ignored["status"]!.GetValue<string>());
        Assert.Equal("archived_until_condition_met", ignored["substatus"]!.GetValue<string>());
        Assert.Equal(100, ignored["statusDetails"]!["ignoreCount"]!.GetValue<long>());
        Assert.Equal(60, ignored["statusDetails"]!["ignoreWindow"]!.GetValue<long>());
        Assert.True(ignored["statusDetails"]!.AsObject().ContainsKey("ignoreUserCount"));
        Assert.Contains(await ListIdsAsync("is:ignored"), i => i == id);

        var forever = (await server.PutAsync(path, new JsonObject { ["status"] = "ignored" })).AssertStatus(200).Json!;
        Assert.Equal("archived_forever", forever["substatus"]!.GetValue<string>());

        var unresolved = (await server.PutAsync(path, new JsonObject { ["status"] = "unresolved" })).AssertStatus(200).Json!;
        Assert.Equal("unresolved", unresolved["status"]!.GetValue<string>());
        Assert.Equal("ongoing", unresolved["substatus"]!.GetValue<string>());

        // The SDK events carry a release, so "next release" has a basis (a project without releases answers 400, WorkflowApiTests).
        var nextRelease = (await server.PutAsync(path, new JsonObject { ["status"] = "resolvedInNextRelease" })).AssertStatus(200).Json!;
        Assert.Equal("resolved", nextRelease["status"]!.GetValue<string>());
        Assert.Equal("{\"inNextRelease\":true,\"actor\":null}", nextRelease["statusDetails"]!.ToJsonString());
        Assert.Equal("resolved", (await server.GetAsync(path)).AssertStatus(200).Json!["status"]!.GetValue<string>());

        // A plain resolve is regressed by any new event.
        (await server.PutAsync(path, new JsonObject { ["status"] = "resolved" })).AssertStatus(200);
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("Error", "status test", "handler", "u1"));
        var regressed = await server.WaitAsync(path, r => r.Status == 200 && r.Json!["substatus"]?.GetValue<string>() == "regressed");
        Assert.Equal("unresolved", regressed.Json!["status"]!.GetValue<string>());
        Assert.Equal("2", regressed.Json!["count"]!.GetValue<string>());

        (await server.PutAsync(path, new JsonObject { ["status"] = "closed" })).AssertStatus(400);
        (await server.PutAsync(path, new JsonObject { ["status"] = "resolved", ["substatus"] = "ongoing" })).AssertStatus(400);
        (await server.PutAsync(path, new JsonObject { ["status"] = "unresolved", ["substatus"] = "archived_forever" })).AssertStatus(400);
        (await server.PutAsync(path, new JsonObject { ["substatus"] = "ongoing" })).AssertStatus(400);

        // A body without a status changes nothing (an empty change set).
        Assert.Equal("{}", (await server.PutAsync(path, new JsonObject { ["isBookmarked"] = true })).AssertStatus(200).Json!.ToJsonString());
        Assert.Equal("unresolved", (await server.GetAsync(path)).AssertStatus(200).Json!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bulk_updates_change_every_listed_issue_and_answer_the_changed_fields()
    {
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("BulkError", "one", "first", "u1"));
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("OtherBulkError", "two", "second", "u1"));
        var a = (await WaitForIssueAsync("BulkError: one"))["id"]!.GetValue<string>();
        var b = (await WaitForIssueAsync("OtherBulkError: two"))["id"]!.GetValue<string>();

        var response = (await server.PutAsync($"/api/0/organizations/{Org}/issues/?id={a}&id={b}", new JsonObject { ["status"] = "resolved" })).AssertStatus(200).Json!;
        Assert.Equal("{\"status\":\"resolved\",\"substatus\":null,\"statusDetails\":{},\"inbox\":null}", response.ToJsonString());
        Assert.Equal("resolved", (await server.GetAsync($"/api/0/issues/{a}/")).Json!["status"]!.GetValue<string>());
        Assert.Equal("resolved", (await server.GetAsync($"/api/0/issues/{b}/")).Json!["status"]!.GetValue<string>());

        var ignored = (await server.PutAsync($"/api/0/organizations/{Org}/issues/?id={a}", new JsonObject { ["status"] = "ignored", ["statusDetails"] = new JsonObject { ["ignoreUntilEscalating"] = true } })).AssertStatus(200).Json!;
        Assert.Equal("archived_until_escalating", ignored["substatus"]!.GetValue<string>());

        (await server.PutAsync($"/api/0/organizations/{Org}/issues/?id=123456789", new JsonObject { ["status"] = "resolved" })).AssertStatus(204);
        // Without ids the search result is updated; a search that matches nothing answers 204.
        (await server.PutAsync($"/api/0/organizations/{Org}/issues/?query=NoIssueHasThisTitle", new JsonObject { ["status"] = "resolved" })).AssertStatus(204);
        (await server.PutAsync($"/api/0/organizations/{Org}/issues/?id=abc", new JsonObject { ["status"] = "resolved" })).AssertStatus(400);
        (await server.PutAsync($"/api/0/organizations/{Org}/issues/?id={a}", new JsonObject { ["status"] = "nope" })).AssertStatus(400);

        (await server.DeleteAsync($"/api/0/organizations/{Org}/issues/?id={a}&id={b}")).AssertStatus(204);
        (await server.GetAsync($"/api/0/issues/{a}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/issues/{b}/")).AssertStatus(404);
    }

    [Fact]
    public async Task A_deleted_issue_is_gone_with_its_events()
    {
        await server.IngestAsync(_projectId, _key, SdkEvents.Error("DeleteMe", "now", "handler", "u1"));
        var id = (await WaitForIssueAsync("DeleteMe: now"))["id"]!.GetValue<string>();

        (await server.DeleteAsync($"/api/0/issues/{id}/")).AssertStatus(202);
        (await server.GetAsync($"/api/0/issues/{id}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/issues/{id}/events/")).AssertStatus(404);
        (await server.DeleteAsync($"/api/0/issues/{id}/")).AssertStatus(404);
        Assert.DoesNotContain(await ListIdsAsync(""), i => i == id);
    }

    private async Task<JsonNode> WaitForIssueAsync(string title, int count = 1)
    {
        var path = $"/api/0/projects/{Org}/{_project}/issues/?query=&limit=100";
        var response = await server.WaitAsync(path, r => r.Status == 200 && r.Json!.AsArray().Any(i => Matches(i!)));
        return response.Json!.AsArray().First(i => Matches(i!))!;

        bool Matches(JsonNode issue) => issue["title"]!.GetValue<string>() == title && issue["count"]!.GetValue<string>() == count.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<List<string>> ListIdsAsync(string? query)
    {
        var path = $"/api/0/projects/{Org}/{_project}/issues/?limit=100" + (query is null ? "" : "&query=" + Uri.EscapeDataString(query));
        return [.. (await server.GetAsync(path)).AssertStatus(200).Json!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }
}
