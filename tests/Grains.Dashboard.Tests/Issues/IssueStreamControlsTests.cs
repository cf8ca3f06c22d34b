using Bunit.TestDoubles;
using Grains.Monitoring.Storage;
using Grains.Server.Dashboard.Issues;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grains.Dashboard.Tests.Issues;

public sealed class IssueStreamControlsTests : DashboardTestContext
{
    [Fact]
    public void A_valid_search_is_raised()
    {
        string? raised = null;
        var box = Render<IssueSearchBox>(p => p.Add(c => c.Query, "is:unresolved").Add(c => c.OnSearch, (string q) => raised = q));

        box.Find("input").Input("is:unresolved level:error");
        box.Find("form").Submit();

        Assert.Equal("is:unresolved level:error", raised);
        Assert.Empty(box.FindAll("[data-testid=search-error]"));
    }

    [Theory]
    [InlineData("is:sleeping")]
    [InlineData("lastSeen:-soon")]
    [InlineData("timesSeen:>lots")]
    [InlineData("\"unterminated")]
    public void A_malformed_search_is_explained_inline_and_not_raised(string query)
    {
        string? raised = null;
        var box = Render<IssueSearchBox>(p => p.Add(c => c.Query, "is:unresolved").Add(c => c.OnSearch, (string q) => raised = q));

        box.Find("input").Input(query);
        box.Find("form").Submit();

        Assert.Null(raised);
        var error = box.Find("[data-testid=search-error]").TextContent;
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Contains(error, box.Find(".mud-input-control").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixing_a_malformed_search_clears_the_error()
    {
        var box = Render<IssueSearchBox>(p => p.Add(c => c.Query, ""));
        box.Find("input").Input("is:sleeping");
        box.Find("form").Submit();
        Assert.NotEmpty(box.FindAll("[data-testid=search-error]"));

        box.Find("input").Input("is:resolved");
        box.Find("form").Submit();

        Assert.Empty(box.FindAll("[data-testid=search-error]"));
    }

    [Fact]
    public void Searching_navigates_to_the_first_page_of_the_new_search()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var toolbar = RenderToolbar(new IssueStreamState(Query: "is:unresolved", Cursor: "abc"));

        toolbar.Find("[data-testid=issue-search] input, input[data-testid=issue-search]").Input("is:unresolved level:error");
        toolbar.Find("form").Submit();

        Assert.EndsWith("/organizations/acme/issues/?query=is%3Aunresolved%20level%3Aerror", navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sort by", "freq", "/organizations/acme/issues/?query=level%3Aerror&sort=freq")]
    [InlineData("Sort by", "date", "/organizations/acme/issues/?query=level%3Aerror")]
    [InlineData("Period", "24h", "/organizations/acme/issues/?query=level%3Aerror&statsPeriod=24h")]
    [InlineData("Environment", "production", "/organizations/acme/issues/?query=level%3Aerror&environment=production")]
    [InlineData("Project", "7", "/organizations/acme/issues/?query=level%3Aerror&project=7")]
    public async Task Pickers_put_their_value_in_the_url_and_go_back_to_the_first_page(string label, string value, string expected)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var toolbar = RenderToolbar(new IssueStreamState(Query: "level:error", Cursor: "page-3"));

        var select = toolbar.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        await toolbar.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));

        Assert.EndsWith(expected, navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_all_environments_and_projects_drops_the_filters()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var toolbar = RenderToolbar(new IssueStreamState(Environment: "production", Project: 7));

        var environment = toolbar.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Environment");
        await toolbar.InvokeAsync(() => environment.Instance.ValueChanged.InvokeAsync("/all"));
        Assert.EndsWith("/organizations/acme/issues/?project=7", navigation.Uri, StringComparison.Ordinal);

        var project = toolbar.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Project");
        await toolbar.InvokeAsync(() => project.Instance.ValueChanged.InvokeAsync("all"));
        Assert.EndsWith("/organizations/acme/issues/?environment=production", navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true, false, true)]
    [InlineData(1, true, false, false)]
    [InlineData(3, true, false, false)]
    [InlineData(3, false, false, true)]
    [InlineData(3, true, true, true)]
    public void Bulk_actions_are_enabled_only_with_a_selection_and_the_right_to_act(int selected, bool canAct, bool busy, bool disabled)
    {
        var bar = Render<IssueBulkBar>(p => p.Add(c => c.SelectedCount, selected).Add(c => c.CanAct, canAct).Add(c => c.Busy, busy));

        foreach (var id in new[] { "bulk-resolve", "bulk-archive" })
        {
            Assert.Equal(disabled, bar.Find($"[data-testid={id}]").HasAttribute("disabled"));
        }
    }

    [Fact]
    public void Bulk_buttons_raise_their_action()
    {
        var actions = new List<IssueBulkAction>();
        var bar = Render<IssueBulkBar>(p => p.Add(c => c.SelectedCount, 2).Add(c => c.OnAction, (IssueBulkAction a) => actions.Add(a)));

        bar.Find("[data-testid=bulk-archive]").Click();
        bar.Find("[data-testid=bulk-resolve]").Click();

        Assert.Equal([IssueBulkAction.Archive, IssueBulkAction.Resolve], actions);
    }

    private IRenderedComponent<IssueStreamToolbar> RenderToolbar(IssueStreamState state)
    {
        RenderPopoverProvider();
        var projects = new[] { new ProjectRecord { Id = 7, OrganizationId = 1, Slug = "web", Name = "Web", DateCreated = DateTimeOffset.UnixEpoch } };
        return Render<IssueStreamToolbar>(p => p
            .Add(c => c.Organization, "acme")
            .Add(c => c.State, state)
            .Add(c => c.Projects, projects)
            .Add(c => c.Environments, ["production", "staging"]));
    }
}
