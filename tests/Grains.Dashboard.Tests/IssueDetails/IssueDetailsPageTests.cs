using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
using Grains.Server.Dashboard.IssueDetails;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Dashboard.Tests.IssueDetails;

/// <summary>The issue page against a real server: what it shows of an ingested issue, and its actions changing the issue.</summary>
[Collection(IssuePageCollection.Name)]
public sealed class IssueDetailsPageTests : IssueDetailsTestContext, IClassFixture<IssuePageServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly IssuePageServer _server;

    public IssueDetailsPageTests(IssuePageServer server)
    {
        _server = server;
        Services.AddFallbackServiceProvider(server.Services);
    }

    private static JsonObject Event(string fingerprint, string? release = null, double? at = null)
    {
        var evt = new JsonObject
        {
            ["event_id"] = Guid.NewGuid().ToString("N"),
            ["timestamp"] = at ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            ["platform"] = "node",
            ["level"] = "error",
            ["fingerprint"] = new JsonArray(fingerprint),
            ["tags"] = new JsonObject { ["browser"] = "Chrome" },
            ["breadcrumbs"] = new JsonObject { ["values"] = new JsonArray(new JsonObject { ["timestamp"] = 1_764_800_000.5, ["category"] = "console", ["message"] = "about to fail" }) },
            ["exception"] = new JsonObject
            {
                ["values"] = new JsonArray(new JsonObject
                {
                    ["type"] = "TypeError",
                    ["value"] = "x is undefined " + fingerprint,
                    ["stacktrace"] = new JsonObject
                    {
                        ["frames"] = new JsonArray(
                            new JsonObject { ["filename"] = "node_modules/lib.js", ["function"] = "dispatch", ["lineno"] = 3, ["in_app"] = false },
                            new JsonObject
                            {
                                ["filename"] = "app/handler.js", ["function"] = "handle", ["lineno"] = 12, ["in_app"] = true,
                                ["pre_context"] = new JsonArray("function handle(x) {"), ["context_line"] = "  return x.y;", ["post_context"] = new JsonArray("}"),
                            }),
                    },
                }),
            },
        };
        if (release is not null)
        {
            evt["release"] = release;
        }

        return evt;
    }

    private async Task<(IssueRecord Issue, string[] EventIds)> IngestAsync(string fingerprint, int count = 1)
    {
        var ids = new List<string>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-count).ToUnixTimeMilliseconds() / 1000.0;
        for (var i = 0; i < count; i++)
        {
            var evt = Event(fingerprint, at: start + (i * 10));
            ids.Add(evt["event_id"]!.GetValue<string>());
            await _server.IngestAsync(evt);
        }

        return (await _server.WaitForIssueAsync(ids[^1], count), [.. ids]);
    }

    private IRenderedComponent<IssueDetailsBody> RenderPage(long issueId, string? eventId = null, string organization = "default", OrganizationRole role = OrganizationRole.Member)
    {
        var view = Render<IssueDetailsBody>(p => p
            .Add(c => c.Organization, organization)
            .Add(c => c.IssueId, issueId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(c => c.EventId, eventId)
            .Add(c => c.Access, new OrganizationAccess(_server.Organization, role)));
        view.WaitForAssertion(() => Assert.NotEmpty(view.FindAll("[data-testid=issue-title], [data-testid=issue-not-found]")), Wait);
        return view;
    }

    [Fact]
    public async Task Shows_the_latest_event_with_its_frames_breadcrumbs_tags_and_grouping()
    {
        var (issue, ids) = await IngestAsync("page-latest", count: 2);

        var view = RenderPage(issue.Id);

        Assert.Equal(issue.Title, view.Find("[data-testid=issue-title]").TextContent);
        Assert.Equal(ids[1], view.Find("[data-testid=event-id]").TextContent);
        var inApp = view.Find("[data-testid=stack-frame][data-in-app=true]");
        Assert.Contains("app/handler.js", inApp.TextContent, StringComparison.Ordinal);
        Assert.Equal("12", inApp.QuerySelector(".grains-context-current")!.GetAttribute("data-line"));
        Assert.Equal("1 system frame", view.Find("[data-testid=system-frames-toggle]").TextContent.Trim());
        Assert.Contains("about to fail", view.Find("[data-testid=breadcrumb]").TextContent, StringComparison.Ordinal);
        Assert.Equal("100%", view.Find("[data-testid=tag-bar][data-tag-key=browser]").GetAttribute("data-percent"));
        Assert.Contains("custom", view.Find("[data-testid=grouping-info]").TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2 events in the last 24 hours", view.Find("[data-testid=events-chart-total]").TextContent.Trim());
        Assert.Null(view.Find("[data-testid=event-older]").GetAttribute("disabled"));
        Assert.NotNull(view.Find("[data-testid=event-newer]").GetAttribute("disabled"));
        Assert.EndsWith($"/events/{ids[0]}/", view.Find("[data-testid=event-older]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_event_links_to_the_newer_one_and_an_unknown_event_says_so()
    {
        var (issue, ids) = await IngestAsync("page-older", count: 2);

        var older = RenderPage(issue.Id, ids[0]);

        Assert.Equal(ids[0], older.Find("[data-testid=event-id]").TextContent);
        Assert.EndsWith($"/events/{ids[1]}/", older.Find("[data-testid=event-newer]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.NotNull(older.Find("[data-testid=event-older]").GetAttribute("disabled"));

        var missing = RenderPage(issue.Id, new string('a', 32));
        missing.WaitForElement("[data-testid=event-not-found]", Wait);
        var malformed = RenderPage(issue.Id, "not-an-event");
        malformed.WaitForElement("[data-testid=event-not-found]", Wait);
    }

    [Fact]
    public async Task Resolve_and_unresolve_change_the_issue_through_its_grain()
    {
        var (issue, _) = await IngestAsync("page-resolve");
        var issues = _server.Services.GetRequiredService<IIssueStore>();
        var view = RenderPage(issue.Id);

        view.Find("[data-testid=action-resolve]").Click();

        view.WaitForAssertion(() => Assert.Equal("resolved", view.Find("[data-testid=issue-status]").GetAttribute("data-status")), Wait);
        Assert.Equal("resolved", (await issues.GetAsync(issue.Id))!.Status);
        view.WaitForAssertion(() => Assert.Contains(view.FindAll("[data-testid=activity-item]"), a => a.GetAttribute("data-type") == "set_resolved"), Wait);

        view.Find("[data-testid=action-unresolve]").Click();

        view.WaitForAssertion(() => Assert.Equal("unresolved", view.Find("[data-testid=issue-status]").GetAttribute("data-status")), Wait);
        Assert.Equal("unresolved", (await issues.GetAsync(issue.Id))!.Status);
    }

    [Fact]
    public async Task Resolve_in_next_release_without_releases_shows_the_apis_message()
    {
        var (issue, _) = await IngestAsync("page-next-release");
        var view = RenderPage(issue.Id);

        view.Find("[data-testid=action-resolve-next-release]").Click();

        view.WaitForAssertion(() => Assert.Contains("No release data", view.Find("[data-testid=status-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("unresolved", view.Find("[data-testid=issue-status]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Archive_with_a_count_is_stored_as_the_apis_snooze()
    {
        var (issue, _) = await IngestAsync("page-archive");
        var view = RenderPage(issue.Id);

        view.Find("[data-testid=action-archive-options]").Click();
        view.Find("[data-testid=archive-count]").Click();
        view.Find("[data-testid=archive-amount]").Change("25");
        view.Find("[data-testid=archive-confirm]").Click();

        view.WaitForAssertion(() => Assert.Equal("Archived until it occurs 25 more times", view.Find("[data-testid=issue-status]").TextContent.Trim()), Wait);
        var stored = (await _server.Services.GetRequiredService<IIssueStore>().GetAsync(issue.Id))!;
        Assert.Equal("ignored", stored.Status);
        Assert.Equal("archived_until_condition_met", stored.Substatus);
        Assert.Equal(25, JsonNode.Parse(stored.StatusDetailsJson)!["ignoreCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_comment_is_stored_as_a_note_and_listed()
    {
        var (issue, _) = await IngestAsync("page-comment");
        var view = RenderPage(issue.Id);

        view.Find("[data-testid=comment-text]").Input("Looking into it");
        view.Find("[data-testid=activity] form").Submit();

        view.WaitForAssertion(() => Assert.Contains(view.FindAll("[data-testid=activity-item]"), a => a.TextContent.Contains("Looking into it", StringComparison.Ordinal)), Wait);
        var activities = await _server.Services.GetRequiredService<IWorkflowStore>().GetActivitiesAsync(issue.Id);
        Assert.Contains(activities, a => a.Type == "note" && a.DataJson.Contains("Looking into it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task New_events_update_the_open_page_and_offer_the_newest_event()
    {
        var (issue, ids) = await IngestAsync("page-live");
        var view = RenderPage(issue.Id);
        Assert.Equal("1 event", view.Find("[data-testid=issue-events]").TextContent.Trim());

        var next = Event("page-live");
        await _server.IngestAsync(next);

        view.WaitForAssertion(() => Assert.Equal("2 events", view.Find("[data-testid=issue-events]").TextContent.Trim()), Wait);
        view.WaitForElement("[data-testid=event-newer-available]", Wait);
        Assert.Equal(ids[0], view.Find("[data-testid=event-id]").TextContent);
        view.Find("[data-testid=event-show-newest]").Click();
        view.WaitForAssertion(() => Assert.Equal(next["event_id"]!.GetValue<string>(), view.Find("[data-testid=event-id]").TextContent), Wait);
        Assert.Empty(view.FindAll("[data-testid=event-newer-available]"));

        // Later changes come through the silo's watcher (its baseline is taken by now).
        await _server.IngestAsync(Event("page-live"));
        view.WaitForAssertion(() => Assert.Equal("3 events", view.Find("[data-testid=issue-events]").TextContent.Trim()), Wait);
        view.WaitForElement("[data-testid=event-newer-available]", Wait);
    }

    [Fact]
    public async Task Another_organizations_url_and_an_unknown_issue_are_not_found()
    {
        var (issue, _) = await IngestAsync("page-foreign");

        RenderPage(issue.Id, organization: "other").Find("[data-testid=issue-not-found]");
        RenderPage(issue.Id + 999_999).Find("[data-testid=issue-not-found]");
    }
}
