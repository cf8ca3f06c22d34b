using Grains.Monitoring.Pipeline.Steps;
using Grains.Server.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grains.Server.Tests.Ingest;

/// <summary>The edge groups through the grouping cache unless configuration switches it off; a bad cap fails at start.</summary>
public sealed class GroupingCacheWiringTests
{
    [Fact]
    public void The_grouping_step_has_a_cache_by_default()
    {
        using var services = Build(new Dictionary<string, string?>());
        Assert.NotNull(services.GetRequiredService<ComputeGroupingStep>().Cache);
    }

    [Fact]
    public void Configuration_can_switch_the_cache_off()
    {
        using var services = Build(new Dictionary<string, string?> { ["Grains:Grouping:Cache:Enabled"] = "false" });
        Assert.Null(services.GetRequiredService<ComputeGroupingStep>().Cache);
    }

    [Fact]
    public void A_cap_out_of_range_is_refused()
    {
        using var services = Build(new Dictionary<string, string?> { ["Grains:Grouping:Cache:MaxFrames"] = "10" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ComputeGroupingStep>());
        Assert.Contains("Grains:Grouping:Cache:MaxFrames", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddIngestEdge();
        return services.BuildServiceProvider();
    }
}
