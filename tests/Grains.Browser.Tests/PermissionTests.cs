using System.Net;
using System.Text.Json.Nodes;
using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>Roles and organizations in the browser: a member may not open the keys page, nor see another organization.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PermissionTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private GrainsServer Server => fixture.Server;

    [Fact]
    public async Task A_member_sees_the_issues_but_gets_403_on_the_keys_page()
    {
        var member = await AddMemberAsync("default", "member");
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        try
        {
            await Dashboard.SignInAsync(page, member);
            var stream = await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug));
            Assert.Equal((int)HttpStatusCode.OK, stream!.Status);

            var keys = await page.GotoAsync(DashboardRoutes.ProjectKeys(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug));

            Assert.Equal((int)HttpStatusCode.Forbidden, keys!.Status);
            await Expect(page.GetByText("You do not have permission to see this page.")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("key-row")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("key-dsn")).ToHaveCountAsync(0);
            await Dashboard.ScreenshotAsync(page, "member-keys-forbidden", output);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_user_of_one_organization_cannot_see_another_organizations_project_or_issue_by_URL()
    {
        // Another organization with a project and an issue of its own.
        var run = Guid.NewGuid().ToString("N")[..8];
        var other = "other-" + run;
        await CreatedAsync(HttpMethod.Post, "/api/0/organizations/", new JsonObject { ["name"] = "Other " + run, ["slug"] = other });
        var project = await CreatedAsync(HttpMethod.Post, $"/api/0/organizations/{other}/projects/", new JsonObject { ["name"] = "Secret " + run, ["slug"] = "secret" });
        var message = $"other organization's error {run}";
        await SentryNode.SendErrorAsync(await Server.DsnAsync(other, "secret"), message, "other-" + run);
        var issueId = long.Parse((await Server.WaitForIssueAsync(message, other, "secret"))["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // An owner of "default" only.
        var user = await AddMemberAsync("default", "owner");
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        try
        {
            await Dashboard.SignInAsync(page, user);
            foreach (var path in new[]
                     {
                         DashboardRoutes.Issues(other),
                         DashboardRoutes.Issue(other, issueId),
                         DashboardRoutes.ProjectKeys(other, "secret"),
                         DashboardRoutes.AlertRules(other, "secret"),
                         // The other organization's issue under this user's own organization.
                         DashboardRoutes.Issue(DashboardRoutes.DefaultSlug, issueId),
                     })
            {
                // With the browser's session cookie (the page's own request context).
                var response = await page.Context.APIRequest.GetAsync(path);
                var body = await response.TextAsync();
                output.WriteLine($"{path} → {response.Status}, {body.Length} characters");
                Assert.Equal((int)HttpStatusCode.NotFound, response.Status);
                Assert.DoesNotContain(message, body, StringComparison.Ordinal);
                Assert.DoesNotContain("Secret " + run, body, StringComparison.Ordinal);
            }

            // Nor through its own stream with the other project's id.
            await page.GotoAsync(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=&project=" + project["id"]!.GetValue<string>());
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("issue-row").Filter(new() { HasText = message })).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Adds a new user to an organization through the members API (as the admin token: an owner).</summary>
    private async Task<Credentials> AddMemberAsync(string organization, string role)
    {
        var email = $"{role}-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        await CreatedAsync(HttpMethod.Post, $"/api/0/organizations/{organization}/members/", new JsonObject { ["email"] = email, ["password"] = password, ["orgRole"] = role });
        return new Credentials(email, password);
    }

    private async Task<JsonNode> CreatedAsync(HttpMethod method, string path, JsonObject body)
    {
        var (status, text) = await Server.SendAsync(method, path, body);
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"{method} {path} → {(int)status}: {text}");
        return JsonNode.Parse(text)!;
    }
}
