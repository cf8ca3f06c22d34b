using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Api;

/// <summary>
/// The issue workflow through the API with real ingest: release-aware resolution, snoozes, the change
/// set of updates, bulk updates by ids and by query, releases, activities and notes, the scheduler.
/// </summary>
public sealed class WorkflowApiTests(WorkflowApiTests.Server server) : IClassFixture<WorkflowApiTests.Server>, IAsyncLifetime
{
    private const string Org = "flow";
    private long _projectId;
    private string _key = "";
    private string _project = "";

    /// <summary>A server whose new issues become ongoing after one second (the scheduler's test setting).</summary>
    public sealed class Server : ApiServer
    {
        protected override void Configure(WebApplicationBuilder builder)
        {
            builder.Configuration["Grains:Workflow:OngoingAfter"] = "00:00:01";
        }
    }

    public async Task InitializeAsync()
    {
        _project = "p" + Guid.NewGuid().ToString("N")[..8];
        (_projectId, _key) = await server.CreateProjectAsync(Org, _project);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Resolved_in_next_release_of_a_semver_project_reads_back_in_release_and_only_a_newer_release_regresses()
    {
        var id = await IngestAsync("NextRelease", "web@1.0.0", count: 1);
        var path = $"/api/0/organizations/{Org}/issues/{id}/";

        var change = (await server.PutAsync(path, new JsonObject { ["status"] = "resolved", ["statusDetails"] = new JsonObject { ["inNextRelease"] = true } })).AssertStatus(200).Json!;
        Assert.Equal("{\"status\":\"resolved\",\"substatus\":null,\"statusDetails\":{\"inNextRelease\":true,\"actor\":null},\"inbox\":null}", change.ToJsonString());
        var detail = (await server.GetAsync(path)).AssertStatus(200).Json!;
        Assert.Equal("{\"inRelease\":\"web@1.0.0\",\"actor\":null}", detail["statusDetails"]!.ToJsonString());

        // The same (current) release and an event without release stay resolved; they are counted.
        await IngestAsync("NextRelease", "web@1.0.0", count: 2);
        await IngestAsync("NextRelease", null, count: 3);
        Assert.Equal("resolved", (await server.GetAsync(path)).Json!["status"]!.GetValue<string>());

        // A newer release regresses, with the activity naming it.
        await IngestAsync("NextRelease", "web@1.0.1", count: 4);
        var regressed = (await server.GetAsync(path)).AssertStatus(200).Json!;
        Assert.Equal(("unresolved", "regressed"), (regressed["status"]!.GetValue<string>(), regressed["substatus"]!.GetValue<string>()));
        var activity = regressed["activity"]!.AsArray();
        var regression = activity.First(a => a!["type"]!.GetValue<string>() == "set_regression")!;
        Assert.Equal("web@1.0.1", regression["data"]!["version"]!.GetValue<string>());
        Assert.Null(regression["user"]);
        Assert.True(regression.AsObject().ContainsKey("sentry_app"));
        Assert.Contains(activity, a => a!["type"]!.GetValue<string>() == "set_resolved_in_release" && a["data"]!["current_release_version"]!.GetValue<string>() == "web@1.0.0");
        Assert.Contains(activity, a => a!["type"]!.GetValue<string>() == "first_seen");
        Assert.Equal(activity.Count, (await server.GetAsync($"/api/0/organizations/{Org}/issues/{id}/activities/")).AssertStatus(200).Json!["activity"]!.AsArray().Count);
    }

    [Fact]
    public async Task Resolved_in_a_release_of_a_non_semver_project_regresses_on_that_release_and_later_ones()
    {
        var id = await IngestAsync("InRelease", "build-a", count: 1);
        var path = $"/api/0/issues/{id}/";

        var unknown = (await server.PutAsync(path, new JsonObject { ["status"] = "resolved", ["statusDetails"] = new JsonObject { ["inRelease"] = "nope" } })).AssertStatus(400).Json!;
        Assert.Equal("{\"statusDetails\":{\"inRelease\":[\"Unable to find a release with the given version.\"]}}", unknown.ToJsonString());

        var change = (await server.PutAsync(path, new JsonObject { ["status"] = "resolved", ["statusDetails"] = new JsonObject { ["inRelease"] = "latest" } })).AssertStatus(200).Json!;
        Assert.Equal("{\"inRelease\":\"build-a\",\"actor\":null}", change["statusDetails"]!.ToJsonString());

        // The release the fix was said to ship in: the fix did not work.
        await IngestAsync("InRelease", "build-a", count: 2);
        Assert.Equal("regressed", (await server.GetAsync(path)).Json!["substatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Next_release_needs_release_data()
    {
        var id = await IngestAsync("NoRelease", null, count: 1);
        var response = (await server.PutAsync($"/api/0/issues/{id}/", new JsonObject { ["status"] = "resolvedInNextRelease" })).AssertStatus(400).Json!;
        Assert.Equal("No release data present in the system to form a basis for 'Next Release'", Assert.Single(response["statusDetails"]!["inNextRelease"]!.AsArray())!.GetValue<string>());
        Assert.Single(response.AsObject());
    }

    [Fact]
    public async Task A_count_snooze_reports_the_remaining_count_and_the_count_th_event_escalates()
    {
        var id = await IngestAsync("Snoozed", "web@1.0.0", count: 1);
        var path = $"/api/0/issues/{id}/";
        var change = (await server.PutAsync(path, new JsonObject { ["status"] = "ignored", ["statusDetails"] = new JsonObject { ["ignoreCount"] = 2 } })).AssertStatus(200).Json!;
        Assert.Equal("{\"status\":\"ignored\",\"substatus\":\"archived_until_condition_met\",\"statusDetails\":{\"ignoreCount\":2,\"ignoreUntil\":null,\"ignoreUserCount\":null,\"ignoreUserWindow\":null,\"ignoreWindow\":null,\"actor\":null},\"inbox\":null}", change.ToJsonString());

        await IngestAsync("Snoozed", "web@1.0.0", count: 2);
        var detail = (await server.GetAsync(path)).Json!;
        Assert.Equal("ignored", detail["status"]!.GetValue<string>());
        Assert.Equal(1, detail["statusDetails"]!["ignoreCount"]!.GetValue<long>());

        await IngestAsync("Snoozed", "web@1.0.0", count: 3);
        detail = (await server.GetAsync(path)).Json!;
        Assert.Equal(("unresolved", "escalating"), (detail["status"]!.GetValue<string>(), detail["substatus"]!.GetValue<string>()));
        Assert.Contains(detail["activity"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "set_escalating");
        Assert.Contains(detail["activity"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "set_ignored" && a["data"]!["ignoreCount"]!.GetValue<long>() == 2);
    }

    [Fact]
    public async Task Bulk_updates_by_ids_and_by_query_on_the_project_answer_the_change_set()
    {
        var a = await IngestAsync("BulkA", "web@1.0.0", count: 1);
        var b = await IngestAsync("BulkB", "web@1.0.0", count: 1);

        var byId = (await server.PutAsync($"/api/0/projects/{Org}/{_project}/issues/?id={a}", new JsonObject { ["status"] = "ignored", ["statusDetails"] = new JsonObject { ["ignoreDuration"] = 30 } })).AssertStatus(200).Json!;
        Assert.Equal("archived_until_condition_met", byId["substatus"]!.GetValue<string>());
        Assert.NotNull(byId["statusDetails"]!["ignoreUntil"]);
        Assert.Equal("unresolved", (await server.GetAsync($"/api/0/issues/{b}/")).Json!["status"]!.GetValue<string>());

        // No id: the search result (here every unresolved issue of the project: b only).
        var byQuery = (await server.PutAsync($"/api/0/projects/{Org}/{_project}/issues/?query=is:unresolved", new JsonObject { ["status"] = "resolved" })).AssertStatus(200).Json!;
        Assert.Equal("resolved", byQuery["status"]!.GetValue<string>());
        Assert.Equal("resolved", (await server.GetAsync($"/api/0/issues/{b}/")).Json!["status"]!.GetValue<string>());
        Assert.Equal("ignored", (await server.GetAsync($"/api/0/issues/{a}/")).Json!["status"]!.GetValue<string>());

        (await server.PutAsync($"/api/0/projects/{Org}/{_project}/issues/?query=is:unresolved", new JsonObject { ["status"] = "resolved" })).AssertStatus(204);
        (await server.PutAsync($"/api/0/projects/{Org}/{_project}/issues/?id=999999999", new JsonObject { ["status"] = "resolved" })).AssertStatus(204);
        (await server.PutAsync($"/api/0/projects/{Org}/nope/issues/?id={a}", new JsonObject { ["status"] = "resolved" })).AssertStatus(404);
    }

    [Fact]
    public async Task Releases_are_recorded_from_events_and_listed_in_sentry_shapes()
    {
        await IngestAsync("Rel2", "shop@10.0.0", count: 1);
        await IngestAsync("Rel", "shop@2.0.0", count: 1);
        var project = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/releases/")).AssertStatus(200).Json!.AsArray();

        // Semver order, greatest first (2.0.0 was seen later, so by date it would come first).
        Assert.Equal(["shop@10.0.0", "shop@2.0.0"], project.Select(r => r!["version"]!.GetValue<string>()).ToArray());
        var release = project[1]!;
        Assert.Equal("2.0.0", release["shortVersion"]!.GetValue<string>());
        Assert.Equal("shop", release["versionInfo"]!["package"]!.GetValue<string>());
        Assert.Equal(2, release["versionInfo"]!["version"]!["major"]!.GetValue<long>());
        Assert.Equal(1, release["newGroups"]!.GetValue<long>());
        Assert.Equal(_project, release["projects"]![0]!["slug"]!.GetValue<string>());
        Assert.Equal("open", release["status"]!.GetValue<string>());
        Assert.NotNull(release["firstEvent"]);
        Assert.NotNull(release["lastEvent"]);

        var detail = (await server.GetAsync($"/api/0/organizations/{Org}/releases/shop@2.0.0/")).AssertStatus(200).Json!;
        Assert.Equal(release["id"]!.GetValue<long>(), detail["id"]!.GetValue<long>());
        (await server.GetAsync($"/api/0/organizations/{Org}/releases/shop@9.9.9/")).AssertStatus(404);

        var filtered = (await server.GetAsync($"/api/0/organizations/{Org}/releases/?project={_projectId}&query=shop@1&environment=production")).AssertStatus(200).Json!.AsArray();
        Assert.Equal("shop@10.0.0", Assert.Single(filtered)!["version"]!.GetValue<string>());
        Assert.Empty((await server.GetAsync($"/api/0/organizations/{Org}/releases/?project={_projectId}&environment=staging")).AssertStatus(200).Json!.AsArray());

        var first = (await server.GetAsync($"/api/0/projects/{Org}/{_project}/releases/?per_page=1&sort=date")).AssertStatus(200);
        Assert.Equal("shop@2.0.0", Assert.Single(first.Json!.AsArray())!["version"]!.GetValue<string>());
        Assert.Contains("rel=\"next\"; results=\"true\"", first.Link, StringComparison.Ordinal);
        (await server.GetAsync($"/api/0/projects/{Org}/{_project}/releases/?per_page=0")).AssertStatus(400);
        (await server.GetAsync($"/api/0/projects/{Org}/{_project}/releases/?cursor=garbage")).AssertStatus(400);
        (await server.GetAsync($"/api/0/projects/{Org}/{_project}/releases/?sort=sessions2")).AssertStatus(400);
    }

    [Fact]
    public async Task Notes_are_activities()
    {
        var id = await IngestAsync("Noted", "web@1.0.0", count: 1);
        var note = (await server.PostAsync($"/api/0/organizations/{Org}/issues/{id}/comments/", new JsonObject { ["text"] = "looking into it" })).AssertStatus(201).Json!;
        Assert.Equal("note", note["type"]!.GetValue<string>());
        Assert.Equal("looking into it", note["data"]!["text"]!.GetValue<string>());
        (await server.PostAsync($"/api/0/issues/{id}/comments/", new JsonObject { ["text"] = "" })).AssertStatus(400);
        var activity = (await server.GetAsync($"/api/0/issues/{id}/activities/")).AssertStatus(200).Json!["activity"]!.AsArray();
        Assert.Equal("note", activity[0]!["type"]!.GetValue<string>());
        Assert.Equal(note["id"]!.GetValue<string>(), activity[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_scheduler_moves_new_issues_to_ongoing_after_the_configured_time()
    {
        var id = await IngestAsync("Aging", "web@1.0.0", count: 1);
        var scheduler = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkflowSchedulerGrain>(0);

        // OngoingAfter is one second here: scan until the issue is due (a condition with a deadline).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? substatus;
        do
        {
            await scheduler.ScanAsync();
            substatus = (await server.GetAsync($"/api/0/issues/{id}/")).Json!["substatus"]?.GetValue<string>();
        }
        while (substatus != "ongoing" && DateTime.UtcNow < deadline);

        Assert.Equal("ongoing", substatus);
        var activity = (await server.GetAsync($"/api/0/issues/{id}/activities/")).Json!["activity"]!.AsArray();
        Assert.Equal("auto_set_ongoing", activity[0]!["type"]!.GetValue<string>());

        // Once ongoing, the issue is no longer due: another scan adds nothing.
        await scheduler.ScanAsync();
        activity = (await server.GetAsync($"/api/0/issues/{id}/activities/")).Json!["activity"]!.AsArray();
        Assert.Single(activity, a => a!["type"]!.GetValue<string>() == "auto_set_ongoing");
    }

    /// <summary>Ingests an event of the issue titled <paramref name="type"/> and waits until the issue has <paramref name="count"/> events; returns its id.</summary>
    private async Task<string> IngestAsync(string type, string? release, int count)
    {
        var evt = SdkEvents.Error(type, "workflow", "handler", $"u{count}");
        if (release is null)
        {
            evt.Remove("release");
        }
        else
        {
            evt["release"] = release;
        }

        await server.IngestAsync(_projectId, _key, evt);
        var path = $"/api/0/projects/{Org}/{_project}/issues/?query=&limit=100";
        var expected = count.ToString(CultureInfo.InvariantCulture);
        var response = await server.WaitAsync(path, r => r.Status == 200 && r.Json!.AsArray().Any(i => i!["title"]!.GetValue<string>() == $"{type}: workflow" && i["count"]!.GetValue<string>() == expected));
        return response.Json!.AsArray().First(i => i!["title"]!.GetValue<string>() == $"{type}: workflow")!["id"]!.GetValue<string>();
    }
}
