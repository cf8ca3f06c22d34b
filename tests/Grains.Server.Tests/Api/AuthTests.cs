using System.Net.Http.Headers;

namespace Grains.Server.Tests.Api;

/// <summary>Every <c>/api/0/</c> route requires <c>Authorization: Bearer &lt;token&gt;</c>, with Sentry's 401 bodies.</summary>
public sealed class AuthTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("/api/0/organizations/")]
    [InlineData("/api/0/organizations/acme/")]
    [InlineData("/api/0/projects/acme/web/keys/")]
    [InlineData("/api/0/issues/1/")]
    [InlineData("/api/0/no-such-route/")]
    public async Task Without_credentials_is_401(string path)
    {
        var response = await server.SendAsync(HttpMethod.Get, path, client: server.Anonymous);

        response.AssertStatus(401);
        Assert.Equal("Authentication credentials were not provided.", response.Detail);
        Assert.Equal("application/json", response.ContentType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer two words")]
    public async Task A_bad_token_is_401_invalid(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/0/organizations/");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var raw = await server.Anonymous.SendAsync(request);
        var response = await ApiResponse.ReadAsync(raw);

        response.AssertStatus(401);
        Assert.Equal("Invalid token", response.Detail);
    }

    [Fact]
    public async Task A_bad_token_on_a_write_is_401_before_the_body_is_read()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/0/organizations/") { Content = new StringContent("{not json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        var response = await ApiResponse.ReadAsync(await server.Anonymous.SendAsync(request));

        response.AssertStatus(401);
    }

    [Fact]
    public async Task A_valid_token_is_accepted_and_a_new_token_works_at_once()
    {
        (await server.GetAsync("/api/0/organizations/")).AssertStatus(200);

        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "second-token");
        (await server.SendAsync(HttpMethod.Get, "/api/0/organizations/", client: client)).AssertStatus(401);
        await server.Directory.CreateTokenAsync("second", ApiServer.Sha256Hex("second-token"));
        (await server.SendAsync(HttpMethod.Get, "/api/0/organizations/", client: client)).AssertStatus(200);
    }

    [Theory]
    [InlineData("/api/0/organizations/")]
    [InlineData("/api/0/organizations")]
    public async Task Routes_answer_with_and_without_the_trailing_slash(string path) =>
        (await server.GetAsync(path)).AssertStatus(200);

    [Fact]
    public async Task The_api_root_reports_the_version_and_the_token_scopes()
    {
        var root = (await server.GetAsync("/api/0/")).AssertStatus(200).Json!;

        Assert.Equal("0", root["version"]!.GetValue<string>());
        Assert.Contains(root["auth"]!["scopes"]!.AsArray(), s => s!.GetValue<string>() == "project:write");
        (await server.SendAsync(HttpMethod.Get, "/api/0/", client: server.Anonymous)).AssertStatus(401);
    }

    [Fact]
    public async Task Unknown_api_paths_are_a_json_404()
    {
        var response = await server.GetAsync("/api/0/organizations/acme/unknown-thing/");

        response.AssertStatus(404);
        Assert.Equal("The requested resource does not exist", response.Detail);
    }
}
