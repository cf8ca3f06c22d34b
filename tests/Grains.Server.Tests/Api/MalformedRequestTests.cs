using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>Bad input is a 4xx with a <c>detail</c> saying what is wrong — never a 500.</summary>
public sealed class MalformedRequestTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public static TheoryData<string, string, string?, int, string> Cases => new()
    {
        // Bodies
        { "POST", "/api/0/organizations/", "{not json", 400, "Malformed JSON body" },
        { "POST", "/api/0/organizations/", "[1,2]", 400, "expected a JSON object" },
        { "POST", "/api/0/organizations/", "\"text\"", 400, "expected a JSON object" },
        { "POST", "/api/0/organizations/", "", 400, "'name' is required" },
        { "POST", "/api/0/organizations/", "{}", 400, "'name' is required" },
        { "POST", "/api/0/organizations/", "{\"name\":42}", 400, "'name' must be a string" },
        { "POST", "/api/0/organizations/", "{\"name\":\"   \"}", 400, "must not be blank" },
        { "POST", "/api/0/organizations/", "{\"name\":\"" + new string('x', 65) + "\"}", 400, "at most 64" },
        { "POST", "/api/0/organizations/", "{\"name\":\"Ok\",\"slug\":\"Bad Slug\"}", 400, "'slug'" },
        { "POST", "/api/0/organizations/", "{\"name\":\"Ok\",\"slug\":\"12345\"}", 400, "not only digits" },
        { "POST", "/api/0/organizations/", "{\"name\":\"!!!\"}", 400, "Cannot derive a slug" },
        { "POST", "/api/0/organizations/", "{\"name\":\"x\",\"slug\":null,\"extra\":{\"nested\":[1]}} trailing", 400, "Malformed JSON body" },
        { "POST", "/api/0/organizations/", new string('[', 100) + new string(']', 100), 400, "Malformed JSON body" },
        { "POST", "/api/0/organizations/", "{\"name\":\"cut \\ud83d\"}", 400, "lone UTF-16 surrogate" },
        { "POST", "/api/0/organizations/", "{\"name\":\"\\ude00x\"}", 400, "lone UTF-16 surrogate" },
        { "POST", "/api/0/organizations/", "{\"name\\ud83d\":\"x\"}", 400, "lone UTF-16 surrogate" },
        { "PUT", "/api/0/projects/malformed/web/", "{\"name\":\"web\",\"extra\":[\"\\ud800\"]}", 400, "lone UTF-16 surrogate" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"\\udbff\"}", 400, "lone UTF-16 surrogate" },
        { "POST", "/api/0/organizations/", "{\"name\":\"Emoji \\ud83d\\ude00\"}", 201, "" },
        { "POST", "/api/0/organizations/bad/projects/", "{\"name\":\"x\"}", 404, "does not exist" },
        { "POST", "/api/0/organizations/malformed/projects/", "{\"name\":\"x\",\"platform\":7}", 400, "'platform' must be a string" },
        { "POST", "/api/0/organizations/malformed/projects/", "{\"name\":\"x\",\"platform\":\"Not A Platform\"}", 400, "'platform'" },
        { "PUT", "/api/0/projects/malformed/web/", "{\"slug\":\"UPPER\"}", 400, "'slug'" },
        { "PUT", "/api/0/projects/malformed/web/", "{\"name\":[]}", 400, "'name' must be a string" },
        { "PUT", "/api/0/projects/malformed/web/", "{\"groupingEnhancements\":\"stack.function:foo ++nonsense\"}", 400, "" },
        { "PUT", "/api/0/projects/malformed/web/keys/{key}/", "{\"isActive\":\"yes\"}", 400, "'isActive' must be a boolean" },
        { "POST", "/api/0/projects/malformed/web/keys/", "{\"name\":false}", 400, "'name' must be a string" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":1}", 400, "'status' must be a string" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":[]}", 400, "'statusDetails' must be an object" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreCount\":-1}}", 400, "'ignoreCount'" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreWindow\":99999}}", 400, "{\"statusDetails\":{\"ignoreWindow\":[\"Ensure this value is less than or equal to 10080.\"]}}" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreDuration\":1e300}}", 400, "'ignoreDuration'" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreDuration\":99999999999}}", 400, "\"ignoreDuration\":[" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreDuration\":0}}", 400, "\"ignoreDuration\":[" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreCount\":0}}", 400, "{\"statusDetails\":{\"ignoreCount\":[\"Ensure this value is greater than or equal to 1.\"]}}" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreUserCount\":\"3\"}}", 400, "'ignoreUserCount' must be a number" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreUserCount\":3,\"ignoreUserWindow\":10081}}", 400, "\"ignoreUserWindow\":[\"Ensure this value is less than or equal to 10080.\"]" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreWindow\":60}}", 400, "{\"statusDetails\":{\"ignoreWindow\":[" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreUserWindow\":60}}", 400, "{\"statusDetails\":{\"ignoreUserWindow\":[" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreUntilEscalating\":\"yes\"}}", 400, "'ignoreUntilEscalating' must be a boolean" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"ignored\",\"substatus\":\"escalating\"}", 400, "Invalid substatus 'escalating' for status 'ignored'" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"resolved\",\"statusDetails\":{\"inNextRelease\":\"yes\"}}", 400, "'inNextRelease' must be a boolean" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"resolved\",\"statusDetails\":{\"inRelease\":\" \"}}", 400, "{\"statusDetails\":{\"inRelease\":[\"This field may not be blank.\"]}}" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"resolved\",\"statusDetails\":{\"inRelease\":7}}", 400, "'inRelease' must be a string" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"resolvedInNextRelease\",\"substatus\":\"ongoing\"}", 400, "takes no substatus" },
        { "PUT", "/api/0/projects/malformed/web/issues/?id=1", "{\"status\":\"ignored\",\"statusDetails\":{\"ignoreWindow\":99999}}", 400, "\"ignoreWindow\":[" },
        { "POST", "/api/0/issues/1/comments/", "{\"text\":\"x\"}", 404, "does not exist" },
        { "GET", "/api/0/organizations/malformed/releases/?per_page=101", null, 400, "Invalid per_page" },
        { "GET", "/api/0/organizations/malformed/releases/?cursor=0:x:0", null, 400, "Invalid cursor" },
        { "GET", "/api/0/organizations/malformed/releases/?project=abc", null, 400, "Invalid project" },
        { "GET", "/api/0/organizations/malformed/releases/nope/", null, 404, "does not exist" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1", "{\"status\":\"archived\"}", 400, "Unknown status 'archived'" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=1&id=x", "{\"status\":\"resolved\"}", 400, "Invalid id 'x'" },
        { "PUT", "/api/0/organizations/malformed/issues/?id=-5", "{\"status\":\"resolved\"}", 400, "Invalid id" },

        // Query parameters
        { "GET", "/api/0/projects/malformed/web/issues/?sort=trends", null, 400, "Invalid sort 'trends'" },
        { "GET", "/api/0/projects/malformed/web/issues/?sort=", null, 200, "" },
        { "GET", "/api/0/projects/malformed/web/issues/?statsPeriod=90d", null, 400, "Invalid statsPeriod '90d'" },
        { "GET", "/api/0/projects/malformed/web/issues/?statsPeriod=24", null, 400, "Invalid statsPeriod" },
        { "GET", "/api/0/organizations/malformed/issues/?groupStatsPeriod=auto", null, 400, "Invalid statsPeriod" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=0", null, 400, "Invalid limit" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=101", null, 400, "Max is 100" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=ten", null, 400, "Invalid limit" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=-1", null, 400, "Invalid limit" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=99999999999999999999", null, 400, "Invalid limit" },
        { "GET", "/api/0/projects/malformed/web/issues/?limit=100", null, 200, "" },
        { "GET", "/api/0/projects/malformed/web/issues/?cursor=garbage", null, 400, "Invalid cursor" },
        { "GET", "/api/0/projects/malformed/web/issues/?cursor=0:0:1", null, 400, "Invalid cursor" },
        { "GET", "/api/0/projects/malformed/web/issues/?query=timesSeen:>>5", null, 400, "timesSeen:>>5" },
        { "GET", "/api/0/projects/malformed/web/issues/?query=(a OR b)", null, 400, "(a" },
        { "GET", "/api/0/projects/malformed/web/issues/?query=firstSeen:>2024-13-45", null, 400, "firstSeen:>2024-13-45" },
        { "GET", "/api/0/organizations/malformed/issues/?query=assigned:me", null, 400, "assigned:me" },
        { "GET", "/api/0/organizations/malformed/issues/?project=1.5", null, 400, "Invalid project" },
        { "GET", "/api/0/issues/1/events/?limit=1000", null, 400, "Max is 100" },
        { "GET", "/api/0/issues/1/tags/x/values/?limit=abc", null, 400, "Invalid limit" },
        { "GET", "/api/0/issues/99999999999999999999999/", null, 404, "does not exist" },
        { "GET", "/api/0/issues/-1/", null, 404, "does not exist" },
        { "GET", "/api/0/issues/WEB-%F0%9F%98%80/", null, 404, "does not exist" },
        { "GET", "/api/0/issues/WEB-0/", null, 404, "does not exist" },
        { "GET", "/api/0/issues/-/", null, 404, "does not exist" },
        { "GET", "/api/0/projects/malformed/web/events/zz/", null, 404, "does not exist" },
        { "GET", "/api/0/projects/malformed/web/events/zz/grouping-info/", null, 404, "does not exist" },
        { "DELETE", "/api/0/issues/abc/", null, 404, "does not exist" },
        { "DELETE", "/api/0/projects/malformed/web/keys/nokey/", null, 404, "does not exist" },
    };

    private string _key = "";

    public async Task InitializeAsync()
    {
        if ((await server.GetAsync("/api/0/projects/malformed/web/")).Status == 404)
        {
            await server.CreateProjectAsync("malformed", "web");
        }

        _key = (await server.GetAsync("/api/0/projects/malformed/web/keys/")).AssertStatus(200).Json![0]!["id"]!.GetValue<string>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_requests_are_rejected_with_a_reason(string method, string path, string? body, int status, string detail)
    {
        var response = await server.SendAsync(new HttpMethod(method), path.Replace("{key}", _key, StringComparison.Ordinal), body);

        response.AssertStatus(status);
        if (status >= 400)
        {
            Assert.Equal("application/json", response.ContentType);
            // Sentry's serializer errors have no "detail": the field's messages are the body.
            Assert.Contains(detail, response.Json?["detail"]?.GetValue<string>() ?? response.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        var response = (await server.PutAsync("/api/0/projects/malformed/web/", new JsonObject { ["whatever"] = new JsonArray(1, 2), ["name"] = "web" })).AssertStatus(200);
        Assert.Equal("web", response.Json!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0xBD })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    public async Task A_body_with_invalid_utf8_is_400(byte[] invalid)
    {
        byte[] body = [.. "{\"name\":\"x"u8, .. invalid, .. "\"}"u8];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/0/organizations/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var raw = await server.Http.SendAsync(request);
        var response = await ApiResponse.ReadAsync(raw);

        response.AssertStatus(400);
        Assert.Contains("not valid UTF-8", response.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var body = "{\"name\":\"" + new string('x', (1024 * 1024) + 10) + "\"}";
        var response = await server.SendAsync(HttpMethod.Post, "/api/0/organizations/", body);

        response.AssertStatus(413);
    }
}
