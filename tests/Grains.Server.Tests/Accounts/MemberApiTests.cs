using Grains.Server.Accounts;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Accounts;

/// <summary><c>/api/0/organizations/{org}/members/</c>: Sentry's member shape, who may add, change and remove whom.</summary>
public sealed class MemberApiTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    private Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null) => server.SendAsync(method, path, body, client);

    private static string NewEmail() => $"m{Guid.NewGuid():N}@acme.test";

    [Fact]
    public async Task Members_are_listed_in_sentrys_shape_to_every_member()
    {
        using var member = await server.TokenClientAsync(server.Member);

        var list = (await SendAsync(member, HttpMethod.Get, "/api/0/organizations/acme/members/")).AssertStatus(200).Json!.AsArray();

        var owner = list.Single(m => m!["email"]!.GetValue<string>() == server.Owner.Email)!;
        Assert.Equal(server.Owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), owner["id"]!.GetValue<string>());
        Assert.Equal("owner", owner["orgRole"]!.GetValue<string>());
        Assert.Equal("Olga", owner["name"]!.GetValue<string>());
        Assert.Equal(server.Owner.Email, owner["user"]!["email"]!.GetValue<string>());
        Assert.False(owner["pending"]!.GetValue<bool>());
        Assert.DoesNotContain(list, m => m!["email"]!.GetValue<string>() == server.Outsider.Email);
        Assert.Equal("member", (await SendAsync(member, HttpMethod.Get, $"/api/0/organizations/acme/members/{server.Member.Id}/")).AssertStatus(200).Json!["orgRole"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_cannot_add_change_or_remove_members()
    {
        using var member = await server.TokenClientAsync(server.Member);

        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "/api/0/organizations/acme/members/", $$"""{"email":"{{NewEmail()}}","password":"initial password"}"""),
            (HttpMethod.Put, $"/api/0/organizations/acme/members/{server.Manager.Id}/", """{"orgRole":"member"}"""),
            (HttpMethod.Delete, $"/api/0/organizations/acme/members/{server.Manager.Id}/", null),
        })
        {
            var response = await SendAsync(member, method, path, body);
            Assert.True(response.Status == 403, $"{method} {path}: {response.Status} {response.Body}");
            Assert.Equal("You do not have permission to perform this action.", response.Detail);
        }
    }

    [Fact]
    public async Task A_manager_adds_a_new_user_who_can_then_sign_in()
    {
        using var manager = await server.TokenClientAsync(server.Manager);
        var email = NewEmail();

        var added = (await SendAsync(manager, HttpMethod.Post, "/api/0/organizations/acme/members/", $$"""{"email":"{{email}}","name":"New","password":"initial password","orgRole":"manager"}""")).AssertStatus(201);

        Assert.Equal(("manager", email), (added.Json!["orgRole"]!.GetValue<string>(), added.Json["email"]!.GetValue<string>()));
        using var browser = await server.SignedInAsync(email, "initial password");
        (await SendAsync(manager, HttpMethod.Post, "/api/0/organizations/acme/members/", $$"""{"email":"{{email.ToUpperInvariant()}}"}""")).AssertStatus(409);
    }

    [Fact]
    public async Task An_existing_user_is_added_without_a_password()
    {
        using var owner = await server.TokenClientAsync(server.Owner);

        var added = (await SendAsync(owner, HttpMethod.Post, "/api/0/organizations/acme/members/", $$"""{"email":"{{server.Outsider.Email}}"}""")).AssertStatus(201);
        Assert.Equal("member", added.Json!["orgRole"]!.GetValue<string>());
        using var outsider = await server.TokenClientAsync(server.Outsider);
        (await SendAsync(outsider, HttpMethod.Get, "/api/0/organizations/acme/")).AssertStatus(200);

        (await SendAsync(owner, HttpMethod.Delete, $"/api/0/organizations/acme/members/{server.Outsider.Id}/")).AssertStatus(204);
        (await SendAsync(outsider, HttpMethod.Get, "/api/0/organizations/acme/")).AssertStatus(404);
    }

    public static TheoryData<string, string> BadAdditions => new()
    {
        { """{"email":"not an email","password":"initial password"}""", "email" },
        { """{"password":"initial password"}""", "email" },
        { """{"email":"fresh-nopass@acme.test"}""", "password" },
        { """{"email":"fresh-short@acme.test","password":"short"}""", "password" },
        { """{"email":"fresh-role@acme.test","password":"initial password","orgRole":"admin"}""", "orgRole" },
        { """{"email":42}""", "detail" },
    };

    [Theory]
    [MemberData(nameof(BadAdditions))]
    public async Task A_bad_addition_is_400_naming_the_field(string body, string field)
    {
        using var owner = await server.TokenClientAsync(server.Owner);

        var response = await SendAsync(owner, HttpMethod.Post, "/api/0/organizations/acme/members/", body);

        response.AssertStatus(400);
        Assert.True(response.Json!.AsObject().ContainsKey(field), response.Body);
    }

    [Fact]
    public async Task Only_owners_touch_owners_and_the_last_owner_stays()
    {
        var org = "solo" + Guid.NewGuid().ToString("N")[..8];
        var service = (AccountService)server.Services.GetService(typeof(AccountService))!;
        var soloOwner = await service.CreateUserAsync(NewEmail(), null, AccountsServer.Password);
        var soloManager = await service.CreateUserAsync(NewEmail(), null, AccountsServer.Password);
        var organization = await server.Directory.CreateOrganizationAsync(org, org);
        await server.Accounts.AddMemberAsync(organization.Id, soloOwner.Id, "owner");
        await server.Accounts.AddMemberAsync(organization.Id, soloManager.Id, "manager");
        using var owner = await server.TokenClientAsync(soloOwner);
        using var manager = await server.TokenClientAsync(soloManager);

        Assert.Equal(MemberService.OwnersOnlyMessage, (await SendAsync(manager, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloOwner.Id}/", """{"orgRole":"member"}""")).AssertStatus(403).Detail);
        Assert.Equal(MemberService.OwnersOnlyMessage, (await SendAsync(manager, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloManager.Id}/", """{"orgRole":"owner"}""")).AssertStatus(403).Detail);
        Assert.Equal(MemberService.OwnersOnlyMessage, (await SendAsync(manager, HttpMethod.Delete, $"/api/0/organizations/{org}/members/{soloOwner.Id}/")).AssertStatus(403).Detail);
        Assert.Equal(MemberService.OwnersOnlyMessage, (await SendAsync(manager, HttpMethod.Post, $"/api/0/organizations/{org}/members/", $$"""{"email":"{{NewEmail()}}","password":"initial password","orgRole":"owner"}""")).AssertStatus(403).Detail);
        Assert.Equal(MemberService.LastOwnerMessage, (await SendAsync(owner, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloOwner.Id}/", """{"orgRole":"manager"}""")).AssertStatus(403).Detail);
        Assert.Equal(MemberService.LastOwnerMessage, (await SendAsync(owner, HttpMethod.Delete, $"/api/0/organizations/{org}/members/{soloOwner.Id}/")).AssertStatus(403).Detail);

        (await SendAsync(owner, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloManager.Id}/", """{"orgRole":"owner"}""")).AssertStatus(200);
        (await SendAsync(owner, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloOwner.Id}/", """{"orgRole":"member"}""")).AssertStatus(200);
        Assert.Equal("member", (await server.Accounts.GetMemberAsync(organization.Id, soloOwner.Id))!.Role);
        (await SendAsync(owner, HttpMethod.Get, $"/api/0/organizations/{org}/members/999999/")).AssertStatus(404);
        (await SendAsync(manager, HttpMethod.Put, $"/api/0/organizations/{org}/members/999999/", """{"orgRole":"member"}""")).AssertStatus(404);
        (await SendAsync(manager, HttpMethod.Put, $"/api/0/organizations/{org}/members/abc/", """{"orgRole":"member"}""")).AssertStatus(404);
        (await SendAsync(manager, HttpMethod.Put, $"/api/0/organizations/{org}/members/{soloOwner.Id}/", "{}")).AssertStatus(400);
    }
}
