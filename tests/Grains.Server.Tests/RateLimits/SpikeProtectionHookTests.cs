using System.Net;
using System.Net.Http.Headers;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.RateLimits;
using Grains.Server.Tests.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.RateLimits;

/// <summary>A server whose spike protection gives every project an hourly threshold of 2 errors.</summary>
public sealed class SpikeServer : IngestServer
{
    public FixedSpikeProtection Spikes { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<ISpikeProtection>(Spikes);
}

public sealed class FixedSpikeProtection : ISpikeProtection
{
    public int Calls;

    public long? HourlyThreshold(long organizationId, long projectId, DataCategory category)
    {
        Interlocked.Increment(ref Calls);
        return category == DataCategory.Error ? 2 : null;
    }
}

public sealed class SpikeProtectionHookTests(SpikeServer server) : IClassFixture<SpikeServer>
{
    [Fact]
    public async Task A_registered_spike_protection_limits_its_category_with_smart_rate_limit()
    {
        var statuses = new List<HttpStatusCode>();
        string? header = null;
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/envelope/")
            {
                Content = new ByteArrayContent(Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "spike " + i))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-sentry-envelope");
            request.Headers.TryAddWithoutValidation("X-Sentry-Auth", server.AuthHeader());
            using var response = await server.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.Headers.TryGetValues("X-Sentry-Rate-Limits", out var values))
            {
                header = string.Join(",", values);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Matches("^[0-9]+:error:project:smart_rate_limit$", header);
        Assert.True(server.Spikes.Calls >= 4);
    }
}
