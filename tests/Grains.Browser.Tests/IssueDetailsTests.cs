using System.Text.RegularExpressions;
using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>An issue's page: what @sentry/node sent (stack frames, tags, breadcrumbs) and its status actions.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IssueDetailsTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private GrainsServer Server => fixture.Server;

    [Fact]
    public async Task An_issue_opened_from_the_stream_shows_the_stack_frames_tags_and_breadcrumbs_sent_by_sentry_node()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var message = $"card declined for order {run}";
        await SentryNode.SendErrorAsync(
            await Server.DsnAsync(),
            message,
            "details-" + run,
            tags: new Dictionary<string, string> { ["feature"] = "checkout", ["plan"] = "enterprise" },
            breadcrumbs: [("ui.click", $"pay button {run}"), ("navigation", "/cart → /checkout")]);
        var issue = await Server.WaitForIssueAsync(message);
        var page = await SignedInPageAsync();
        try
        {
            var id = long.Parse(issue["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=");
            await Dashboard.WaitInteractiveAsync(page);
            await page.GetByTestId("issue-row").Filter(new() { HasText = message }).GetByRole(AriaRole.Link, new() { Name = message, Exact = false }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith(DashboardRoutes.Issue(DashboardRoutes.DefaultSlug, id), StringComparison.Ordinal), new() { Timeout = Dashboard.Deadline, WaitUntil = WaitUntilState.Commit });
            await Expect(page.GetByTestId("issue-title")).ToContainTextAsync(message, new() { Timeout = Dashboard.Deadline });

            // The SDK's in-app frames (send.mjs's functions), with their source lines.
            var inApp = page.Locator("[data-testid=stack-frame][data-in-app=true]");
            var chargeCard = inApp.Filter(new() { Has = page.Locator("code.grains-frame-function", new() { HasTextRegex = new Regex("^chargeCard$") }) });
            var checkout = inApp.Filter(new() { Has = page.Locator("code.grains-frame-function", new() { HasTextRegex = new Regex("^checkout$") }) });
            await Expect(chargeCard).ToBeVisibleAsync();
            await Expect(checkout).ToBeVisibleAsync();
            await Expect(chargeCard).ToContainTextAsync("throw new Error(message)");
            await Expect(page.GetByTestId("breadcrumb").Filter(new() { HasText = $"pay button {run}" })).ToBeVisibleAsync();
            await Dashboard.ScreenshotAsync(page, "issue", output, docsImage: "issue.png");

            // Node's own frames are folded into a button; unfolding shows them, marked not in app.
            var system = page.Locator("[data-testid=stack-frame][data-in-app=false]");
            await Expect(system).ToHaveCountAsync(0);
            await Dashboard.WaitInteractiveAsync(page);
            await page.GetByTestId("system-frames-toggle").First.ClickAsync();
            await Expect(system.First).ToBeVisibleAsync();

            await Expect(page.GetByTestId("breadcrumb").Filter(new() { HasText = $"pay button {run}" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("breadcrumb").Filter(new() { HasText = "ui.click" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("tag-bar").Filter(new() { HasText = "enterprise" })).ToContainTextAsync("100%");
            await Expect(page.GetByTestId("tag-bar").Filter(new() { HasText = "checkout" }).First).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_issue_resolved_on_its_page_says_so_and_leaves_the_unresolved_stream()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var message = $"resolve on the page {run}";
        await SentryNode.SendErrorAsync(await Server.DsnAsync(), message, "details-resolve-" + run);
        var issue = await Server.WaitForIssueAsync(message);
        var id = long.Parse(issue["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var page = await SignedInPageAsync();
        try
        {
            await page.GotoAsync(DashboardRoutes.Issue(DashboardRoutes.DefaultSlug, id));
            await Dashboard.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("issue-status")).ToContainTextAsync("Unresolved", new() { IgnoreCase = true });

            await page.GetByTestId("action-resolve").ClickAsync();

            await Expect(page.GetByTestId("issue-status")).ToHaveTextAsync(new Regex(@"^\s*Resolved"), new() { Timeout = Dashboard.Deadline });
            await Expect(page.GetByTestId("action-unresolve")).ToBeVisibleAsync();
            Assert.Equal("resolved", (await Server.GetJsonAsync($"/api/0/issues/{id}/"))["status"]!.GetValue<string>());

            await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=" + Uri.EscapeDataString("is:unresolved"));
            await Expect(page.Locator("[data-testid=issue-row], [data-testid=stream-empty]").First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("issue-row").Filter(new() { HasText = message })).ToHaveCountAsync(0);
            await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=" + Uri.EscapeDataString("is:resolved"));
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
}
