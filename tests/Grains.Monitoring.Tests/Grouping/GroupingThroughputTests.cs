using System.Diagnostics;
using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;
using Xunit.Abstractions;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>Smoke-level throughput check over the fixture mix (not a benchmark; guards against gross regressions).</summary>
public class GroupingThroughputTests
{
    private readonly ITestOutputHelper _output;

    public GroupingThroughputTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Fixture_mix_throughput_is_reported()
    {
        var inputs = GroupingFixtures.Names
            .Select(GroupingFixtures.LoadInput)
            .Select(input => (Input: input, Config: GroupingFixtures.ConfigFor(input)))
            .ToList();
        foreach (var (input, config) in inputs)
        {
            GroupingEngine.Compute(input, config); // warm-up: regex compilation, rule caches
        }

        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            foreach (var (input, config) in inputs)
            {
                GroupingEngine.Compute(input, config);
                count++;
            }
        }

        var perSecond = count / watch.Elapsed.TotalSeconds;
        _output.WriteLine($"{perSecond:F0} events/s on one thread ({inputs.Count} fixture mix)");
        // The bound is loose on purpose: CI machines are shared, so this only catches gross regressions.
        Assert.True(perSecond > 200, $"{perSecond:F0} events/s");
    }
}
