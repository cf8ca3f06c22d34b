using System.Net;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>
/// A wrong method on an existing API route answers as Sentry (Django REST framework) does: 405,
/// <c>{"detail":"Method \"X\" not allowed."}</c> and an <c>Allow</c> header listing the route's
/// methods, after authentication. Unknown paths stay 404 whatever the method.
/// </summary>
public sealed class MethodNotAllowedTests(ApiServer server) : IClassFixture<ApiServer>
{
    public static TheoryData<string, string, string> WrongMethods() => new()
    {
        // method, path, Allow
        { "DELETE", "/api/0/", "GET" },
        { "DELETE", "/api/0/organizations/", "GET, POST" },
        { "PUT", "/api/0/organizations/", "GET, POST" },
        { "POST", "/api/0/organizations/acme/", "GET" },
        { "PATCH", "/api/0/projects/acme/web/", "GET, PUT, DELETE" },
        { "POST", "/api/0/projects/acme/web", "GET, PUT, DELETE" },
        { "PATCH", "/api/0/projects/acme/web/keys/", "GET, POST" },
        { "POST", "/api/0/projects/acme/web/keys/abc/", "GET, PUT, DELETE" },
        { "POST", "/api/0/organizations/acme/issues/", "GET, PUT, DELETE" },
        { "POST", "/api/0/issues/42/", "GET, PUT, DELETE" },
        { "PATCH", "/api/0/organizations/acme/issues/42/", "GET, PUT, DELETE" },
        { "DELETE", "/api/0/issues/42/events/", "GET" },
        { "POST", "/api/0/issues/42/tags/browser/values/", "GET" },
        { "PUT", "/api/0/projects/acme/web/events/abc/", "GET" },
        { "DELETE", "/api/0/projects/acme/web/events/abc/attachments/", "GET" },
        { "POST", "/api/0/projects/acme/web/user-feedback/", "GET" },
        { "HEAD", "/api/0/organizations/", "GET, POST" },
        { "OPTIONS", "/api/0/issues/42/", "GET, PUT, DELETE" },
    };

    [Theory]
    [MemberData(nameof(WrongMethods))]
    public async Task Wrong_method_on_an_existing_route_is_405_with_allow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        if (method != "HEAD")
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal($"Method \"{method}\" not allowed.", body["detail"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("GET", "/api/0/nothing-here/")]
    [InlineData("DELETE", "/api/0/nothing-here/")]
    [InlineData("POST", "/api/0/organizations/acme/unknown/")]
    [InlineData("DELETE", "/api/0/projects/acme/web/keys/abc/extra/")]
    public async Task Unknown_paths_stay_404_whatever_the_method(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(response.Content.Headers.Allow);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("The requested resource does not exist", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_method_without_a_token_is_still_401_first()
    {
        var response = await server.SendAsync(HttpMethod.Delete, "/api/0/organizations/", client: server.Anonymous);

        response.AssertStatus(401);
    }

    [Fact]
    public async Task Right_method_is_not_affected()
    {
        var response = await server.GetAsync("/api/0/organizations/");

        response.AssertStatus(200);
    }
}
