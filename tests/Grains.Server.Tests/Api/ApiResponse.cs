using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>A response read in full: status, headers, body and the body parsed as JSON (null when it is not JSON).</summary>
public sealed record ApiResponse(int Status, HttpResponseHeaders Headers, string? ContentType, string Body, JsonNode? Json)
{
    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
                json = null;
            }
        }

        return new ApiResponse((int)response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, body, json);
    }

    public ApiResponse AssertStatus(int expected)
    {
        Assert.True(Status == expected, $"expected {expected}, got {Status}: {Body}");
        return this;
    }

    /// <summary>The <c>detail</c> of an error body.</summary>
    public string Detail => Json?["detail"]?.GetValue<string>() ?? throw new InvalidOperationException($"No detail in {Status}: {Body}");

    public string? Link => Headers.TryGetValues("Link", out var values) ? string.Join(", ", values) : null;
}
