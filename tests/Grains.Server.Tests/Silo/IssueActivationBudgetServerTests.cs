using System.Net;
using System.Net.Http.Headers;
using Grains.Monitoring.Events;
using Grains.Monitoring.Storage;
using Grains.Server.Silo;
using Grains.Server.Tests.Ingest;
using Grains.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains.Server.Tests.Silo;

/// <summary>A server whose issue-activation cap is the smallest allowed, checked ten times a second.</summary>
public sealed class SmallBudgetServer : IngestServer
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Grains:Silo:Memory:MaxIssueActivations"] = SiloMemoryOptions.MinMaxIssueActivations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Grains:Silo:Memory:CheckInterval"] = "00:00:00.1";
        builder.Configuration["Grains:Silo:Memory:StreamInactivityPeriod"] = "00:00:20";
    }
}

/// <summary>
/// Issue grains shed over the cap come back on their next event and count every event exactly once.
/// </summary>
public sealed class IssueActivationBudgetServerTests(SmallBudgetServer server) : IClassFixture<SmallBudgetServer>
{
    private const int Issues = SiloMemoryOptions.MinMaxIssueActivations + 200;

    [Fact]
    public async Task Issues_shed_over_the_cap_still_count_every_event_once()
    {
        var budget = server.Services.GetRequiredService<IssueActivationBudget>();
        var run = Guid.NewGuid().ToString("N")[..8];

        await SendRoundAsync(run);
        await WaitForCountsAsync(run, 1);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (budget.Count > SiloMemoryOptions.MinMaxIssueActivations && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.InRange(budget.Count, 0, SiloMemoryOptions.MinMaxIssueActivations);
        Assert.True(budget.TotalShed > 0, "more issues than the cap were active, so some were shed");

        // Every issue again: the shed ones are activated anew and reload their state.
        await SendRoundAsync(run);
        var counts = await WaitForCountsAsync(run, 2);
        Assert.Equal(Issues, counts.Count);
        Assert.All(counts, pair => Assert.Equal(2, pair.Value));
    }

    [Fact]
    public void The_configured_stream_inactivity_period_reaches_the_ingest_streams_pulling_agents()
    {
        var agents = server.Services.GetRequiredService<IOptionsMonitor<StreamPullingAgentOptions>>().Get(IngestStream.ProviderName);
        Assert.Equal(TimeSpan.FromSeconds(20), agents.StreamInactivityPeriod);
        Assert.NotEqual(DurableLogStreamOptions.DefaultStreamInactivityPeriod, agents.StreamInactivityPeriod);
    }

    private async Task SendRoundAsync(string run)
    {
        var url = $"{server.Url}/api/{server.ProjectId}/envelope/";
        await Parallel.ForEachAsync(Enumerable.Range(0, Issues), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            // A distinct exception type per issue groups each into its own issue.
            var body = Envelopes.EventEnvelope(Envelopes.ErrorEvent(Envelopes.NewEventId(), $"Budget{run}Error{i}", $"budget {run} {i}"));
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-sentry-envelope");
            request.Headers.TryAddWithoutValidation("X-Sentry-Auth", server.AuthHeader());
            using var response = await server.Http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
    }

    // Times seen per issue of this run, once every issue has reached at least `atLeast` (or the deadline passed).
    private async Task<Dictionary<string, long>> WaitForCountsAsync(string run, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var counts = new Dictionary<string, long>();
            string? cursor = null;
            do
            {
                var page = await server.Issues.QueryAsync(new IssueQuery { ProjectIds = [server.ProjectId], Query = "", Limit = 100, Cursor = cursor });
                foreach (var issue in page.Issues.Where(issue => issue.Title.Contains($"Budget{run}Error", StringComparison.Ordinal)))
                {
                    counts[issue.Title] = issue.TimesSeen;
                }

                cursor = page.Issues.Count == 0 ? null : page.NextCursor;
            }
            while (cursor is not null);

            if ((counts.Count == Issues && counts.Values.All(c => c >= atLeast)) || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            await Task.Delay(200);
        }
    }
}
