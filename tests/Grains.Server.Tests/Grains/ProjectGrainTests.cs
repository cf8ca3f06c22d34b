using Grains.Monitoring.Projects;
using Grains.Server.Tests.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Grains.Server.Tests.Grains;

/// <summary>The project grain on Orleans: one activation, one turn at a time, however many callers.</summary>
public sealed class ProjectGrainTests(IngestServer server) : IClassFixture<IngestServer>
{
    [Fact]
    public async Task A_thousand_concurrent_issue_allocations_get_a_thousand_distinct_consecutive_numbers()
    {
        var grains = server.Services.GetRequiredService<IGrainFactory>();

        // Separate references, as separate requests would hold: single activation is Orleans' job, not the reference's.
        var allocations = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => Task.Run(() => grains.GetGrain<IProjectGrain>(server.ProjectId).AllocateIssueAsync())));

        var numbers = allocations.Select(a => a.ShortNumber).Order().ToList();
        Assert.Equal(1_000, numbers.Distinct().Count());
        Assert.Equal(999, numbers[^1] - numbers[0]);
        Assert.All(allocations, a => Assert.Equal(server.ProjectId * ProjectGrain.IssueIdStride + a.ShortNumber, a.IssueId));
    }
}
