using System.Net;
using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>The sign-in form in the browser, and forms refused without their antiforgery token.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private GrainsServer Server => fixture.Server;

    [Fact]
    public async Task In_the_browser_a_page_without_a_session_shows_the_sign_in_form_and_returns_after_sign_in()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        var keys = DashboardRoutes.ProjectKeys(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug);

        await page.GotoAsync(keys);

        Assert.Equal(DashboardRoutes.SignIn, new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByTestId("signin-email")).ToBeVisibleAsync(new() { Timeout = Dashboard.Deadline });
        await Dashboard.ScreenshotAsync(page, "sign-in", output);

        var owner = await Server.OwnerAsync();
        await page.GetByTestId("signin-email").FillAsync(owner.Email);
        await page.GetByTestId("signin-password").FillAsync(owner.Password);
        await page.GetByTestId("signin-submit").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == keys, new() { Timeout = Dashboard.Deadline });
        await Dashboard.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("key-row").First).ToBeVisibleAsync();
        Assert.Contains(await page.Context.CookiesAsync(), cookie => cookie.Name == DashboardServiceCollectionExtensions.SessionCookieName && cookie.HttpOnly);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_session()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        var owner = await Server.OwnerAsync();
        await page.GotoAsync(DashboardRoutes.SignIn);

        await page.GetByTestId("signin-email").FillAsync(owner.Email);
        await page.GetByTestId("signin-password").FillAsync(owner.Password + "-wrong");
        await page.GetByTestId("signin-submit").ClickAsync();

        await Expect(page.GetByTestId("signin-error")).ToBeVisibleAsync(new() { Timeout = Dashboard.Deadline });
        Assert.Equal(DashboardRoutes.SignIn, new Uri(page.Url).AbsolutePath);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == DashboardServiceCollectionExtensions.SessionCookieName);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sign_in_form_posted_without_its_antiforgery_token_is_refused()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        var owner = await Server.OwnerAsync();
        await page.GotoAsync(DashboardRoutes.SignIn);
        await page.GetByTestId("signin-email").FillAsync(owner.Email);
        await page.GetByTestId("signin-password").FillAsync(owner.Password);

        // The right credentials, but the form's hidden antiforgery field removed before it is posted.
        var removed = await page.EvaluateAsync<int>("() => { const fields = document.querySelectorAll('input[name=__RequestVerificationToken]'); fields.forEach(f => f.remove()); return fields.length; }");
        Assert.True(removed > 0, "the sign-in form carries no antiforgery field");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("signin-submit").ClickAsync(),
            response => response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == DashboardRoutes.SignIn);

        // The browser shows the refusal in place of the form (a document without it).
        await Expect(page.GetByTestId("signin-submit")).ToHaveCountAsync(0);
        Assert.Equal((int)HttpStatusCode.BadRequest, answer.Status);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == DashboardServiceCollectionExtensions.SessionCookieName);
        await Dashboard.ScreenshotAsync(page, "sign-in-without-antiforgery", output);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sign_out_form_posted_without_its_antiforgery_token_is_refused_and_the_session_stays()
    {
        var page = await Dashboard.NewPageAsync(fixture.Browser, Server.Url);
        await Dashboard.SignInAsync(page, await Server.OwnerAsync());
        var keys = DashboardRoutes.ProjectKeys(DashboardRoutes.DefaultSlug, DashboardRoutes.DefaultSlug);
        await page.GotoAsync(keys);

        // A cross-site form would carry the session cookie (same-site here) but not the token.
        var status = await page.EvaluateAsync<int>(
            "async (path) => (await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' })).status",
            DashboardRoutes.SignOut);

        Assert.Equal((int)HttpStatusCode.BadRequest, status);
        var again = await page.GotoAsync(keys);
        Assert.Equal(keys, new Uri(page.Url).AbsolutePath);
        Assert.Equal((int)HttpStatusCode.OK, again!.Status);
        await page.Context.CloseAsync();
    }
}
