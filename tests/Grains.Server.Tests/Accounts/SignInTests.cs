using System.Net;
using Grains.Server.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Accounts;

/// <summary>The sign-in page, sessions and sign-out over HTTP, as a browser uses them.</summary>
public sealed class SignInTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    [Theory]
    [InlineData("/", "/auth/login/?next=%2F")]
    public async Task A_page_without_a_session_redirects_to_sign_in_with_next(string path, string location)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, browser.Location(response));
    }

    [Fact]
    public async Task The_sign_in_page_is_a_plain_form_with_labelled_inputs_and_an_antiforgery_token()
    {
        using var browser = server.NewBrowser();

        var html = await (await browser.GetAsync("/auth/login/")).Content.ReadAsStringAsync();

        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"signin-email\">Email</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"signin-password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"signin-submit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.PostFormAsync("/auth/login/", ("_handler", "signin"), ("Input.Email", server.Member.Email), ("Input.Password", AccountsServer.Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetCookies(new Uri(server.Url)), c => c.Name == "grains_session");
    }

    [Fact]
    public async Task Signing_in_sets_the_session_and_goes_to_next()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.SignInAsync("MEMBER@acme.test", AccountsServer.Password, next: "/organizations/acme/issues/?query=is%3Aunresolved");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/organizations/acme/issues/?query=is%3Aunresolved", browser.Location(response));
        var cookie = Assert.Single(browser.Cookies.GetCookies(new Uri(server.Url)), c => c.Name == "grains_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/organizations/default/issues/", await browser.RedirectOfAsync("/"));
        Assert.NotNull((await server.Accounts.GetUserAsync(server.Member.Id))!.LastLogin);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task Next_outside_the_site_goes_home(string next)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.SignInAsync(server.Member.Email, AccountsServer.Password, next);

        Assert.Equal("/", browser.Location(response));
    }

    [Theory]
    [InlineData("member@acme.test", "wrong password")]
    [InlineData("nobody@acme.test", AccountsServer.Password)]
    [InlineData("not an email", AccountsServer.Password)]
    [InlineData("", "")]
    public async Task A_wrong_email_or_password_shows_one_message_and_no_session(string email, string password)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"signin-error\">Please enter a correct email and password.<", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(new Uri(server.Url)), c => c.Name == "grains_session");
    }

    [Fact]
    public async Task Signing_out_needs_the_antiforgery_token_and_ends_the_session()
    {
        using var browser = await server.SignedInAsync(server.Manager.Email);
        using var refused = await browser.PostFormAsync("/auth/logout/");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("/organizations/default/issues/", await browser.RedirectOfAsync("/"));

        var token = await browser.FormTokenAsync("/auth/login/");
        using var signedOut = await browser.PostFormAsync("/auth/logout/", ("__RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/auth/login/", browser.Location(signedOut));
        Assert.StartsWith("/auth/login/", await browser.RedirectOfAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions()
    {
        var service = server.Services.GetRequiredService<AccountService>();
        var user = await service.CreateUserAsync("changer@acme.test", null, AccountsServer.Password);
        using var other = await server.SignedInAsync(user.Email);
        Assert.Equal("/organizations/default/issues/", await other.RedirectOfAsync("/"));

        Assert.Null(await service.ChangePasswordAsync(user.Id, AccountsServer.Password, "a new password"));

        Assert.StartsWith("/auth/login/", await other.RedirectOfAsync("/"), StringComparison.Ordinal);
        using var fresh = await server.SignedInAsync(user.Email, "a new password");
        Assert.Equal("/organizations/default/issues/", await fresh.RedirectOfAsync("/"));
    }

    [Fact]
    public async Task Five_failures_lock_the_user_out_even_with_the_right_password()
    {
        var service = server.Services.GetRequiredService<AccountService>();
        var user = await service.CreateUserAsync("locked@acme.test", null, AccountsServer.Password);
        using var browser = server.NewBrowser();
        for (var i = 0; i < 4; i++)
        {
            Assert.Contains("Please enter a correct email", await (await browser.SignInAsync(user.Email, "wrong")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains("Too many failed sign-in attempts", await (await browser.SignInAsync(user.Email, "wrong")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var refused = await browser.SignInAsync(user.Email, AccountsServer.Password);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Too many failed sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull((await server.Accounts.GetUserAsync(user.Id))!.LockoutEnd);
    }
}
