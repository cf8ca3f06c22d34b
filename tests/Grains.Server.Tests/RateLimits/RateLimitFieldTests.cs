using System.Text.Json;
using Grains.Server.Api.RateLimits;

namespace Grains.Server.Tests.RateLimits;

public sealed class RateLimitFieldTests
{
    [Theory]
    [InlineData("""{"rateLimit": "60/5"}""", """{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}}""")]
    [InlineData("""{"rateLimit": 60}""", """{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got int."]}}""")]
    [InlineData("""{"rateLimit": 1.5}""", """{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got float."]}}""")]
    [InlineData("""{"rateLimit": [60, 5]}""", """{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}}""")]
    [InlineData("""{"rateLimit": true}""", """{"rateLimit":{"non_field_errors":["Invalid data. Expected a dictionary, but got bool."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": -1}}""", """{"rateLimit":{"count":["Ensure this value is greater than or equal to 0."]}}""")]
    [InlineData("""{"rateLimit": {"window": -1, "count": 5}}""", """{"rateLimit":{"window":["Ensure this value is greater than or equal to 0."]}}""")]
    [InlineData("""{"rateLimit": {"window": 86401, "count": 5}}""", """{"rateLimit":{"window":["Ensure this value is less than or equal to 86400."]}}""")]
    [InlineData("""{"rateLimit": {"window": "minute", "count": 5}}""", """{"rateLimit":{"window":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": 2.5}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": true}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": {}}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": [5]}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": 1e40}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": 60, "count": "99999999999999999999"}}""", """{"rateLimit":{"count":["A valid integer is required."]}}""")]
    [InlineData("""{"rateLimit": {"window": "x", "count": -3}}""", """{"rateLimit":{"count":["Ensure this value is greater than or equal to 0."],"window":["A valid integer is required."]}}""")]
    public void Malformed_rate_limits_are_refused_with_field_errors(string body, string errors)
    {
        using var json = JsonDocument.Parse(body);
        Assert.False(RateLimitField.TryRead(json.RootElement, "rateLimit", out _, out var found));
        Assert.Equal(errors, found!.ToJsonString());
    }

    [Theory]
    [InlineData("""{}""", false, null, null)]
    [InlineData("""{"name": "x"}""", false, null, null)]
    [InlineData("""{"rateLimit": null}""", true, null, null)]
    [InlineData("""{"rateLimit": {}}""", true, null, null)]
    [InlineData("""{"rateLimit": {"window": 60}}""", true, null, 60L)]
    [InlineData("""{"rateLimit": {"window": 60, "count": null}}""", true, null, 60L)]
    [InlineData("""{"rateLimit": {"window": 60, "count": 5}}""", true, 5L, 60L)]
    [InlineData("""{"rateLimit": {"window": 0, "count": 0}}""", true, 0L, 0L)]
    [InlineData("""{"rateLimit": {"window": 86400, "count": 1000000}}""", true, 1_000_000L, 86_400L)]
    [InlineData("""{"rateLimit": {"window": "60", "count": " 5 "}}""", true, 5L, 60L)]
    [InlineData("""{"rateLimit": {"window": 60.0, "count": 5.00}}""", true, 5L, 60L)]
    [InlineData("""{"rateLimit": {"window": 60, "count": 5, "other": "ignored"}}""", true, 5L, 60L)]
    public void Valid_rate_limits_are_read_as_Sentry_reads_them(string body, bool present, long? count, long? window)
    {
        using var json = JsonDocument.Parse(body);
        Assert.True(RateLimitField.TryRead(json.RootElement, "rateLimit", out var input, out var errors));
        Assert.Null(errors);
        Assert.Equal(new RateLimitInput(present, count, window), input);
        Assert.Equal(present && count is not null && window is not null, input.Sets);
    }
}
