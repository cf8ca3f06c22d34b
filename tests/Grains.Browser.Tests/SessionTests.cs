using System.Net;
using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;

namespace Grains.Browser.Tests;

/// <summary>No page without a session: a request without one is sent to sign in (and back afterwards); the API is not.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTests(DashboardFixture fixture)
{
    private GrainsServer Server => fixture.Server;

    public static TheoryData<string> Pages() =>
    [
        "/",
        DashboardRoutes.Issues(DashboardRoutes.DefaultSlug),
        DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=is%3Aunresolved%20level%3Aerror&statsPeriod=14d",
        DashboardRoutes.Issue(DashboardRoutes.DefaultSlug, 1),
        DashboardRoutes.IssueEvent(DashboardRoutes.DefaultSlug, 1, "0123456789abcdef0123456789abcdef"),
        DashboardRoutes.ProjectKeys(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug),
        DashboardRoutes.AlertRules(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug),
        DashboardRoutes.NewAlertRule(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug),
        DashboardRoutes.Stats(DashboardRoutes.DefaultSlug),
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_requested_without_a_session_redirects_to_sign_in_and_back(string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Url };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(Server.Url, location);
        Assert.Equal(DashboardRoutes.SignIn, target.AbsolutePath);
        var next = System.Web.HttpUtility.ParseQueryString(target.Query)["next"];
        Assert.Equal(path, next);
    }

    [Fact]
    public async Task The_API_without_a_token_answers_401_not_a_sign_in_redirect()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Url };

        using var response = await http.GetAsync("/api/0/projects/default/default/issues/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
