using System.Net.Http.Headers;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Accounts;

/// <summary><c>/api/0/api-tokens/</c>: a user's personal tokens, shown once, revocable; the admin token has none.</summary>
public sealed class ApiTokenApiTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    private Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null) => server.SendAsync(method, path, body, client);

    [Fact]
    public async Task A_created_token_is_shown_once_works_at_once_and_stops_working_when_revoked()
    {
        using var manager = await server.TokenClientAsync(server.Manager);

        var created = (await SendAsync(manager, HttpMethod.Post, "/api/0/api-tokens/", """{"name":"ci","scopes":["org:read","project:write"]}""")).AssertStatus(201).Json!;
        var token = created["token"]!.GetValue<string>();
        Assert.StartsWith("grains_", token, StringComparison.Ordinal);
        Assert.Equal(token[^4..], created["tokenLastCharacters"]!.GetValue<string>());
        Assert.Equal(["org:read", "project:write"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var listed = (await SendAsync(manager, HttpMethod.Get, "/api/0/api-tokens/")).AssertStatus(200).Json!.AsArray().Single(t => t!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>())!;
        Assert.False(listed.AsObject().ContainsKey("token"));
        Assert.Equal("ci", listed["name"]!.GetValue<string>());

        using var fresh = new HttpClient { BaseAddress = new Uri(server.Url) };
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var project = "tok" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateProjectAsync("acme", project);
        (await SendAsync(fresh, HttpMethod.Post, $"/api/0/projects/acme/{project}/keys/", """{"name":"x"}""")).AssertStatus(201);
        (await SendAsync(fresh, HttpMethod.Get, "/api/0/organizations/acme/")).AssertStatus(200);

        (await SendAsync(manager, HttpMethod.Delete, "/api/0/api-tokens/", $$"""{"tokenId":"{{created["id"]!.GetValue<string>()}}"}""")).AssertStatus(204);
        (await SendAsync(fresh, HttpMethod.Get, "/api/0/organizations/acme/")).AssertStatus(401);
        (await SendAsync(manager, HttpMethod.Delete, "/api/0/api-tokens/", $$"""{"tokenId":"{{created["id"]!.GetValue<string>()}}"}""")).AssertStatus(404);
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_token()
    {
        using var owner = await server.TokenClientAsync(server.Owner);
        using var member = await server.TokenClientAsync(server.Member);
        var created = (await SendAsync(owner, HttpMethod.Post, "/api/0/api-tokens/", """{"scopes":["org:read"]}""")).AssertStatus(201).Json!;

        (await SendAsync(member, HttpMethod.Delete, "/api/0/api-tokens/", $$"""{"tokenId":{{created["id"]!.GetValue<string>()}}}""")).AssertStatus(404);
        Assert.Contains((await SendAsync(owner, HttpMethod.Get, "/api/0/api-tokens/")).Json!.AsArray(), t => t!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>());
        Assert.DoesNotContain((await SendAsync(member, HttpMethod.Get, "/api/0/api-tokens/")).Json!.AsArray(), t => t!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{}", "scopes")]
    [InlineData("""{"scopes":"org:read"}""", "scopes")]
    [InlineData("""{"scopes":[]}""", "scopes")]
    [InlineData("""{"scopes":["org:everything"]}""", "scopes")]
    [InlineData("""{"scopes":[1]}""", "scopes")]
    [InlineData("""{"scopes":["org:read"],"name":7}""", "detail")]
    public async Task A_bad_creation_is_400_naming_the_field(string body, string field)
    {
        using var member = await server.TokenClientAsync(server.Member);

        var response = await SendAsync(member, HttpMethod.Post, "/api/0/api-tokens/", body);

        response.AssertStatus(400);
        Assert.True(response.Json!.AsObject().ContainsKey(field), response.Body);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"tokenId":"abc"}""")]
    [InlineData("""{"tokenId":null}""")]
    public async Task A_bad_revocation_is_refused(string body)
    {
        using var member = await server.TokenClientAsync(server.Member);

        var response = await SendAsync(member, HttpMethod.Delete, "/api/0/api-tokens/", body);

        Assert.True(response.Status is 400 or 404, response.Body);
    }

    [Fact]
    public async Task The_admin_token_has_no_personal_tokens()
    {
        Assert.Empty((await server.GetAsync("/api/0/api-tokens/")).AssertStatus(200).Json!.AsArray());
        (await server.SendAsync(HttpMethod.Post, "/api/0/api-tokens/", """{"scopes":["org:read"]}""")).AssertStatus(400);
    }
}
