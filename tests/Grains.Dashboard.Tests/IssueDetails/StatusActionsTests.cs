using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Dashboard.IssueDetails;

namespace Grains.Dashboard.Tests.IssueDetails;

public sealed class StatusActionsTests : IssueDetailsTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    private readonly List<JsonObject> _raised = [];

    private IRenderedComponent<StatusActions> RenderActions(string status, string? substatus = null, JsonObject? details = null, bool canAct = true, string? error = null) =>
        Render<StatusActions>(p => p
            .Add(c => c.Status, status)
            .Add(c => c.Substatus, substatus)
            .Add(c => c.StatusDetails, details)
            .Add(c => c.CanAct, canAct)
            .Add(c => c.Error, error)
            .Add(c => c.OnUpdate, (JsonObject body) => _raised.Add(body)));

    private static string[] Actions(IRenderedComponent<StatusActions> view) =>
        [.. view.FindAll("[data-testid^=action-]").Select(a => a.GetAttribute("data-testid")!)];

    // The body as the API's parser reads it: what the page applies.
    private static ParsedStatusUpdate Parse(JsonObject body) =>
        StatusUpdateParser.Parse(JsonSerializer.SerializeToElement(body), Now) ?? throw new InvalidOperationException("no update");

    [Theory]
    [InlineData("unresolved", "action-resolve,action-resolve-next-release,action-archive,action-archive-options")]
    [InlineData("resolved", "action-unresolve")]
    [InlineData("ignored", "action-resolve,action-unresolve")]
    public void Each_status_offers_its_actions(string status, string expected)
    {
        var view = RenderActions(status);

        Assert.Equal(expected.Split(','), Actions(view));
        Assert.Equal(status, view.Find("[data-testid=issue-status]").GetAttribute("data-status"));
    }

    [Fact]
    public void A_role_that_may_not_act_sees_the_status_but_no_actions()
    {
        var view = RenderActions("unresolved", canAct: false);

        Assert.Empty(Actions(view));
        Assert.Contains("Unresolved", view.Find("[data-testid=issue-status]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unresolved", "new", "{}", "Unresolved (new)")]
    [InlineData("resolved", null, "{}", "Resolved")]
    [InlineData("resolved", null, """{"inNextRelease":true}""", "Resolved in the next release")]
    [InlineData("resolved", null, """{"inRelease":"1.2.0"}""", "Resolved in release 1.2.0")]
    [InlineData("ignored", "archived_forever", "{}", "Archived forever")]
    [InlineData("ignored", "archived_until_escalating", "{}", "Archived until escalating")]
    [InlineData("ignored", "archived_until_condition_met", """{"ignoreCount":100,"ignoreWindow":60}""", "Archived until it occurs 100 more times within 1 hour")]
    [InlineData("ignored", "archived_until_condition_met", """{"ignoreUserCount":1}""", "Archived until it affects 1 more user")]
    [InlineData("ignored", "archived_until_condition_met", """{"ignoreUntil":"2026-12-05T18:00:00.000000Z"}""", "Archived until 2026-12-05 18:00 UTC")]
    public void The_badge_says_the_status_in_words(string status, string? substatus, string details, string expected)
    {
        var view = RenderActions(status, substatus, JsonNode.Parse(details) as JsonObject);

        Assert.Equal(expected, view.Find("[data-testid=issue-status]").TextContent.Trim());
    }

    [Fact]
    public void Resolve_and_resolve_in_next_release_raise_the_apis_bodies()
    {
        var view = RenderActions("unresolved");

        view.Find("[data-testid=action-resolve]").Click();
        view.Find("[data-testid=action-resolve-next-release]").Click();

        Assert.Equal("resolved", Parse(_raised[0]).Update.Status);
        Assert.False(Parse(_raised[0]).InNextRelease);
        Assert.True(Parse(_raised[1]).InNextRelease);
    }

    [Fact]
    public void Archive_in_one_click_is_until_escalating()
    {
        var view = RenderActions("unresolved");

        view.Find("[data-testid=action-archive]").Click();

        var update = Parse(Assert.Single(_raised)).Update;
        Assert.Equal("ignored", update.Status);
        Assert.Equal("archived_until_escalating", update.Substatus);
        Assert.True(update.Snooze?.UntilEscalating);
    }

    [Fact]
    public void Unresolve_raises_the_unresolved_body()
    {
        var view = RenderActions("ignored", "archived_forever");

        view.Find("[data-testid=action-unresolve]").Click();

        Assert.Equal("unresolved", Parse(Assert.Single(_raised)).Update.Status);
    }

    [Fact]
    public void Archive_options_until_n_more_occurrences_within_a_window()
    {
        var view = RenderActions("unresolved");
        view.Find("[data-testid=action-archive-options]").Click();

        view.Find("[data-testid=archive-count]").Click();
        view.Find("[data-testid=archive-amount]").Change("250");
        view.Find("[data-testid=archive-window]").Change("60");
        view.Find("[data-testid=archive-confirm]").Click();

        var update = Parse(Assert.Single(_raised)).Update;
        Assert.Equal("ignored", update.Status);
        Assert.Equal(250, update.Snooze?.Count);
        Assert.Equal(60, update.Snooze?.Window);
        Assert.Null(update.Snooze?.Until);
        Assert.Empty(view.FindAll("[data-testid=archive-options]"));
    }

    [Theory]
    [InlineData(ArchiveKind.Forever, null, null, "archived_forever")]
    [InlineData(ArchiveKind.UntilEscalating, null, null, "archived_until_escalating")]
    [InlineData(ArchiveKind.ForDuration, 120L, null, "archived_until_condition_met")]
    [InlineData(ArchiveKind.UntilCount, 10L, null, "archived_until_condition_met")]
    [InlineData(ArchiveKind.UntilUserCount, 5L, 1440L, "archived_until_condition_met")]
    public void Every_archive_condition_is_an_update_the_api_accepts(ArchiveKind kind, long? amount, long? window, string substatus)
    {
        var update = Parse(StatusUpdateBodies.Archive(kind, amount, window)).Update;

        Assert.Equal("ignored", update.Status);
        Assert.Equal(substatus, update.Substatus);
        switch (kind)
        {
            case ArchiveKind.Forever:
                Assert.Null(update.Snooze);
                break;
            case ArchiveKind.ForDuration:
                Assert.Equal(Now.AddMinutes(120), update.Snooze?.Until);
                break;
            case ArchiveKind.UntilCount:
                Assert.Equal(10, update.Snooze?.Count);
                Assert.Null(update.Snooze?.Window);
                break;
            case ArchiveKind.UntilUserCount:
                Assert.Equal(5, update.Snooze?.UserCount);
                Assert.Equal(1440, update.Snooze?.UserWindow);
                break;
            default:
                Assert.True(update.Snooze?.UntilEscalating);
                break;
        }
    }

    [Fact]
    public void An_archive_for_a_time_without_minutes_is_caught_before_the_api()
    {
        var view = RenderActions("unresolved");
        view.Find("[data-testid=action-archive-options]").Click();
        view.Find("[data-testid=archive-duration]").Click();
        view.Find("[data-testid=archive-minutes]").Change("");

        view.Find("[data-testid=archive-confirm]").Click();

        Assert.Empty(_raised);
        Assert.Contains("minutes", view.Find("[data-testid=status-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_apis_refusal_shows_under_the_actions()
    {
        var view = RenderActions("unresolved", error: "No release data present in the system to form a basis for 'Next Release'");

        Assert.Contains("No release data", view.Find("[data-testid=status-error]").TextContent, StringComparison.Ordinal);
    }
}
