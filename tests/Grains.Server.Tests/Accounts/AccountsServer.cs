using System.Net;
using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Accounts;

/// <summary>
/// An <see cref="ApiServer"/> with organizations <c>acme</c> and <c>globex</c> and users: an owner, a
/// manager and a member of acme, and a member of globex only. Sessions are re-validated on every request.
/// </summary>
public sealed class AccountsServer : ApiServer
{
    public const string Password = "correct horse battery";

    public UserRecord Owner { get; private set; } = null!;

    public UserRecord Manager { get; private set; } = null!;

    public UserRecord Member { get; private set; } = null!;

    public UserRecord Outsider { get; private set; } = null!;

    public OrganizationRecord Acme { get; private set; } = null!;

    public OrganizationRecord Globex { get; private set; } = null!;

    public IAccountStore Accounts => Services.GetRequiredService<IAccountStore>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await Directory.CreateOrganizationAsync("acme", "Acme");
        Globex = await Directory.CreateOrganizationAsync("globex", "Globex");
        var service = Services.GetRequiredService<AccountService>();
        Owner = await service.CreateUserAsync("owner@acme.test", "Olga", Password);
        Manager = await service.CreateUserAsync("manager@acme.test", "Mona", Password);
        Member = await service.CreateUserAsync("member@acme.test", "Mel", Password);
        Outsider = await service.CreateUserAsync("member@globex.test", "Gus", Password);
        await Accounts.AddMemberAsync(Acme.Id, Owner.Id, MemberRoles.Owner);
        await Accounts.AddMemberAsync(Acme.Id, Manager.Id, MemberRoles.Manager);
        await Accounts.AddMemberAsync(Acme.Id, Member.Id, MemberRoles.Member);
        await Accounts.AddMemberAsync(Globex.Id, Outsider.Id, MemberRoles.Member);
    }

    /// <summary>A client that sends a new personal token of <paramref name="user"/>.</summary>
    public async Task<HttpClient> TokenClientAsync(UserRecord user)
    {
        var token = "grains_user_" + Guid.NewGuid().ToString("N");
        await Accounts.CreateUserTokenAsync(user.Id, "test", Sha256Hex(token), "org:read", token[^4..]);
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Grains:Accounts:SessionValidationInterval"] = "00:00:00";
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public Browser NewBrowser() => new(Url);

    /// <summary>A browser signed in as <paramref name="email"/>.</summary>
    public async Task<Browser> SignedInAsync(string email, string password = Password)
    {
        var browser = NewBrowser();
        var response = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
