using Grains.Browser.Tests.Support;
using Grains.Monitoring.Alerts.Rules;
using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>Alert rules through the form: what the page saves is what the rules API then answers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertRuleTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private GrainsServer Server => fixture.Server;

    [Fact]
    public async Task An_alert_rule_created_through_the_form_is_listed_and_read_back_through_the_API()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        try
        {
            await Dashboard.SignInAsync(page, await Server.OwnerAsync(), DashboardRoutes.NewAlertRule(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug));
            await Dashboard.WaitInteractiveAsync(page);
            var name = "Checkout regressions " + Guid.NewGuid().ToString("N")[..6];

            // Without an action the validator refuses, and the form says so next to the actions.
            await page.Locator("input[data-testid=rule-name], [data-testid=rule-name] input").First.FillAsync(name);
            await AddNodeAsync(page, "rule-add-condition", RuleNodeIds.FirstSeen);
            await page.GetByTestId("rule-save").ClickAsync();
            await Expect(page.Locator("[data-testid=rule-error][data-field=actions]")).ToContainTextAsync("You must add an action");
            await Dashboard.ScreenshotAsync(page, "alert-rule-invalid", output);

            await AddNodeAsync(page, "rule-add-action", RuleNodeIds.NotifyEvent);
            await Expect(page.GetByTestId("rule-node")).ToHaveCountAsync(2);
            await Dashboard.ScreenshotAsync(page, "alert-rule-form", output);
            await page.GetByTestId("rule-save").ClickAsync();

            var row = page.GetByTestId("rule-row").Filter(new() { HasText = name });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = Dashboard.Deadline });
            Assert.Equal("/organizations/default/alerts/rules/", new Uri(page.Url).AbsolutePath);
            await Dashboard.ScreenshotAsync(page, "alert-rules", output);

            var rules = await Server.GetJsonAsync("/api/0/projects/default/default/rules/");
            var saved = rules.AsArray().Single(rule => rule!["name"]!.GetValue<string>() == name)!;
            Assert.Equal([RuleNodeIds.FirstSeen], saved["conditions"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
            Assert.Equal([RuleNodeIds.NotifyEvent], saved["actions"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
            Assert.Equal(saved["id"]!.GetValue<string>(), await row.GetAttributeAsync("data-rule-id"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Opens an "Add …" menu and picks a node of the rule catalog.</summary>
    private static async Task AddNodeAsync(IPage page, string menu, string nodeId)
    {
        await page.GetByTestId(menu).ClickAsync();
        await page.Locator($"[data-testid=rule-node-option][data-node-id='{nodeId}']").ClickAsync();
    }
}
