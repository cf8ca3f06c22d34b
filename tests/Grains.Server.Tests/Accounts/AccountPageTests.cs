using System.Net;
using Grains.Server.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Accounts;

/// <summary>The account pages over HTTP: the members page (prerendered), the password form, organization pages across organizations.</summary>
public sealed class AccountPageTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    [Fact]
    public async Task A_member_sees_the_members_of_their_organization_without_the_add_form()
    {
        using var browser = await server.SignedInAsync(server.Member.Email);

        using var response = await browser.GetAsync("/settings/acme/members/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(server.Owner.Email, html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"member-row\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"member-add\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Outsider.Email, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_sees_the_add_form()
    {
        using var browser = await server.SignedInAsync(server.Manager.Email);

        var html = await (await browser.GetAsync("/settings/acme/members/")).Content.ReadAsStringAsync();

        Assert.Contains("data-testid=\"member-add\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/settings/acme/members/")]
    [InlineData("/organizations/acme/issues/")]
    [InlineData("/organizations/acme/issues/1/")]
    public async Task Another_organizations_pages_are_404(string path)
    {
        using var browser = await server.SignedInAsync(server.Outsider.Email);

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(server.Owner.Email, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_ends_the_others()
    {
        var service = server.Services.GetRequiredService<AccountService>();
        var user = await service.CreateUserAsync($"pw{Guid.NewGuid():N}@acme.test", null, AccountsServer.Password);
        using var here = await server.SignedInAsync(user.Email);
        using var elsewhere = await server.SignedInAsync(user.Email);

        var wrong = await ChangeAsync(here, "not my password", "a brand new password", "a brand new password");
        Assert.Contains("The current password is not correct.", wrong, StringComparison.Ordinal);
        var mismatch = await ChangeAsync(here, AccountsServer.Password, "a brand new password", "another new password");
        Assert.Contains("The new passwords do not match.", mismatch, StringComparison.Ordinal);

        var changed = await ChangeAsync(here, AccountsServer.Password, "a brand new password", "a brand new password");

        Assert.Contains("Your password was changed.", changed, StringComparison.Ordinal);
        Assert.Equal("/organizations/default/issues/", await here.RedirectOfAsync("/"));
        Assert.StartsWith("/auth/login/", await elsewhere.RedirectOfAsync("/"), StringComparison.Ordinal);
    }

    private static async Task<string> ChangeAsync(Browser browser, string current, string next, string confirm)
    {
        var token = await browser.FormTokenAsync("/settings/account/");
        using var response = await browser.PostFormAsync("/settings/account/", ("_handler", "password"), ("__RequestVerificationToken", token), ("Input.Current", current), ("Input.New", next), ("Input.Confirm", confirm));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
