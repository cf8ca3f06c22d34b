using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grains.Server.Tests.Items;

namespace Grains.Server.Tests.Grains;

/// <summary>The Orleans dashboard under /orleans answers holders of an admin API token only.</summary>
public sealed class OrleansDashboardTests(ItemServer server) : IClassFixture<ItemServer>, IDisposable
{
    // Not the fixture's client: that one sends the admin token by default.
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    public static TheoryData<string?, string?> Refused() => new()
    {
        { null, null },
        { "Bearer", "grains_not_a_token" },
        { "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:grains_not_a_token")) },
        { "Basic", "%%% not base64" },
        { "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon")) },
        { "Token", "whatever" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Without_a_valid_admin_token_the_dashboard_answers_401_with_a_basic_challenge(string? scheme, string? parameter)
    {
        foreach (var path in new[] { "/orleans/", "/orleans/ClusterStats" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
            request.Headers.Authorization = scheme is null ? null : new AuthenticationHeaderValue(scheme, parameter);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
    }

    [Fact]
    public async Task The_admin_token_as_bearer_or_as_basic_password_opens_the_dashboard_and_its_data()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + server.Token));
        foreach (var authorization in new[] { new AuthenticationHeaderValue("Bearer", server.Token), new AuthenticationHeaderValue("Basic", basic) })
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, server.Url + "/orleans/");
            page.Headers.Authorization = authorization;
            using var pageResponse = await _http.SendAsync(page);
            Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
            Assert.Contains("html", (await pageResponse.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);

            using var stats = new HttpRequestMessage(HttpMethod.Get, server.Url + "/orleans/ClusterStats");
            stats.Headers.Authorization = authorization;
            using var statsResponse = await _http.SendAsync(stats);
            Assert.Equal(HttpStatusCode.OK, statsResponse.StatusCode);
        }
    }
}
