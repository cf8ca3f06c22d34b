using System.Net;

namespace Grains.Server.Tests.Ingest;

/// <summary>
/// The ingest routes answer a CORS preflight as Relay's tower-http <c>CorsLayer</c> does
/// (<c>allow_origin(Any)</c>): <c>*</c> for any or no <c>Origin</c>, POST, Sentry's request headers,
/// an hour's max age. Without <c>Access-Control-Allow-Origin</c> a browser rejects the preflight and
/// drops the event.
/// </summary>
public sealed class CorsPreflightTests : IClassFixture<IngestServer>
{
    private readonly IngestServer _server;

    public CorsPreflightTests(IngestServer server) => _server = server;

    public static TheoryData<string, string?> Preflights() => new()
    {
        { "envelope/", "https://shop.example.com" },
        { "envelope/", null },
        { "envelope", "http://localhost:5173" },
        { "store/", "https://shop.example.com" },
        { "store/", null },
    };

    [Theory]
    [MemberData(nameof(Preflights))]
    public async Task Preflight_answers_with_relays_cors_headers(string endpoint, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, $"{_server.Url}/api/{_server.ProjectId}/{endpoint}");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type, x-sentry-auth");
        }

        using var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal(
            "x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, content-type, authentication, authorization, content-encoding, transfer-encoding",
            Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("3600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("origin, access-control-request-method, access-control-request-headers", Header(response, "Vary"));
        Assert.Equal("cross-origin", Header(response, "Cross-Origin-Resource-Policy"));

        // tower-http sends the expose list on actual responses only.
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Actual_response_to_a_cross_origin_post_allows_any_origin_and_exposes_the_rate_limit_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_server.Url}/api/{_server.ProjectId}/envelope/?sentry_key={_server.PublicKey}&sentry_version=7")
        {
            Content = new ByteArrayContent(Envelopes.Envelope(null)),
        };
        request.Headers.Add("Origin", "https://shop.example.com");

        using var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("x-sentry-error, x-sentry-rate-limits, retry-after", Header(response, "Access-Control-Expose-Headers"));
        Assert.Equal("origin, access-control-request-method, access-control-request-headers", Header(response, "Vary"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.GetValues(name));
}
