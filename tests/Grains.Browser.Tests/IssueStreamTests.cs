using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>The issue stream: live rows and counts, Sentry's search syntax, bulk resolve.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IssueStreamTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private GrainsServer Server => fixture.Server;

    private static string Unresolved(string query = "is:unresolved") => DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=" + Uri.EscapeDataString(query);

    [Fact]
    public async Task An_event_sent_with_sentry_node_appears_in_the_open_stream_and_its_count_moves_without_a_reload()
    {
        var page = await SignedInPageAsync();
        try
        {
            // A few issues of other levels first, so the stream (and the README's picture) is not a single row.
            var run = Guid.NewGuid().ToString("N")[..8];
            var dsn = await Server.DsnAsync();
            await Task.WhenAll(
                SentryNode.SendErrorAsync(dsn, $"Payment provider timed out after 30 s ({run})", "stream-a-" + run, level: "warning"),
                SentryNode.SendErrorAsync(dsn, $"Cannot read properties of undefined (reading 'total') ({run})", "stream-b-" + run));
            await page.GotoAsync(Unresolved());
            await Dashboard.WaitInteractiveAsync(page);
            await page.EvaluateAsync("() => { window.__grainsNoReload = 'still here'; }");

            var message = $"checkout failed {run}";
            await SentryNode.SendErrorAsync(dsn, message, "stream-live-" + run, tags: new Dictionary<string, string> { ["feature"] = "checkout" });

            var row = page.GetByTestId("issue-row").Filter(new() { HasText = message });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = Dashboard.Deadline });
            await Expect(row.GetByTestId("issue-count")).ToHaveTextAsync("1", new() { Timeout = Dashboard.Deadline });

            // A second event of the same issue: the row's count follows, still without a reload.
            await SentryNode.SendErrorAsync(dsn, message, "stream-live-" + run);
            await Expect(row.GetByTestId("issue-count")).ToHaveTextAsync("2", new() { Timeout = Dashboard.Deadline });
            Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__grainsNoReload"));
            await Expect(page.GetByTestId("issue-row").Filter(new() { HasText = $"({run})" })).ToHaveCountAsync(2, new() { Timeout = Dashboard.Deadline });
            await Dashboard.ScreenshotAsync(page, "issue-stream", output, docsImage: "issue-stream.png");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Searching_is_unresolved_level_error_keeps_the_error_and_drops_the_warning()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var dsn = await Server.DsnAsync();
        var error = $"search error {run}";
        var warning = $"search warning {run}";
        await Task.WhenAll(
            SentryNode.SendErrorAsync(dsn, error, "search-error-" + run),
            SentryNode.SendErrorAsync(dsn, warning, "search-warning-" + run, level: "warning"));
        await Task.WhenAll(Server.WaitForIssueAsync(error), Server.WaitForIssueAsync(warning));
        var page = await SignedInPageAsync();
        try
        {
            await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=");
            await Dashboard.WaitInteractiveAsync(page);
            var errorRow = page.GetByTestId("issue-row").Filter(new() { HasText = error });
            var warningRow = page.GetByTestId("issue-row").Filter(new() { HasText = warning });
            await Expect(errorRow).ToBeVisibleAsync();
            await Expect(warningRow).ToBeVisibleAsync();

            var search = Dashboard.Input(page.Locator("body"), "issue-search");
            await search.FillAsync("is:unresolved level:error");
            await search.PressAsync("Enter");

            // The query lives in the URL (a reload or a link keeps it) and the stream follows it.
            await page.WaitForURLAsync(url => Query(url) == "is:unresolved level:error", new() { Timeout = Dashboard.Deadline });
            await Expect(warningRow).ToHaveCountAsync(0, new() { Timeout = Dashboard.Deadline });
            await Expect(errorRow).ToBeVisibleAsync();
            await Dashboard.ScreenshotAsync(page, "issue-stream-search", output);

            await page.ReloadAsync();
            await Expect(search).ToHaveValueAsync("is:unresolved level:error");
            await Expect(errorRow).ToBeVisibleAsync();
            await Expect(warningRow).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_issue_resolved_from_the_stream_leaves_the_unresolved_stream()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var message = $"resolve me {run}";
        await SentryNode.SendErrorAsync(await Server.DsnAsync(), message, "resolve-" + run);
        var issue = await Server.WaitForIssueAsync(message);
        var page = await SignedInPageAsync();
        try
        {
            await page.GotoAsync(Unresolved());
            await Dashboard.WaitInteractiveAsync(page);
            var row = page.GetByTestId("issue-row").Filter(new() { HasText = message });
            await Expect(row).ToBeVisibleAsync();
            await Expect(page.GetByTestId("bulk-resolve")).ToBeDisabledAsync();

            await Dashboard.Input(row, "select-issue").CheckAsync();
            await Expect(page.GetByTestId("bulk-resolve")).ToBeEnabledAsync();
            await page.GetByTestId("bulk-resolve").ClickAsync();

            await Expect(row).ToHaveCountAsync(0, new() { Timeout = Dashboard.Deadline });
            var id = issue["id"]!.GetValue<string>();
            Assert.Equal("resolved", (await Server.GetJsonAsync($"/api/0/issues/{id}/"))["status"]!.GetValue<string>());
            await page.GotoAsync(Unresolved("is:resolved"));
            await Expect(page.GetByTestId("issue-row").Filter(new() { HasText = message })).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        await Dashboard.SignInAsync(page, await Server.OwnerAsync());
        return page;
    }

    private static string? Query(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["query"];
}
