using Grains.Server.Silo;

namespace Grains.Server.Tests.Silo;

public sealed class SiloMemoryOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_cap_issue_activations_well_above_the_deliveries_in_flight()
    {
        var options = new SiloMemoryOptions();
        Assert.True(new SiloMemoryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(SiloMemoryOptions.DefaultMaxIssueActivations, options.MaxIssueActivations);
        Assert.True(options.MaxIssueActivations >= 4 * SiloDefaults.MaxConcurrentDeliveries);
        Assert.True(new SiloMemoryOptionsValidator().Validate(null, new SiloMemoryOptions { MaxIssueActivations = 0 }).Succeeded, "0 switches the cap off");
        Assert.Equal(global::Grains.Streaming.DurableLogStreamOptions.DefaultStreamInactivityPeriod, options.StreamInactivityPeriod);
        Assert.True(new SiloMemoryOptionsValidator().Validate(null, new SiloMemoryOptions { StreamInactivityPeriod = SiloMemoryOptionsValidator.MinStreamInactivityPeriod }).Succeeded);
    }

    public static TheoryData<string, SiloMemoryOptions, string> InvalidOptions => new()
    {
        { "negative cap", new() { MaxIssueActivations = -1 }, "MaxIssueActivations" },
        { "cap below twice the deliveries in flight", new() { MaxIssueActivations = SiloMemoryOptions.MinMaxIssueActivations - 1 }, "MaxIssueActivations" },
        { "cap past the typo guard", new() { MaxIssueActivations = SiloMemoryOptions.MaxMaxIssueActivations + 1 }, "MaxIssueActivations" },
        { "zero check interval", new() { CheckInterval = TimeSpan.Zero }, "CheckInterval" },
        { "negative check interval", new() { CheckInterval = TimeSpan.FromSeconds(-1) }, "CheckInterval" },
        { "check interval under 100 ms", new() { CheckInterval = TimeSpan.FromMilliseconds(99) }, "CheckInterval" },
        { "check interval over a minute", new() { CheckInterval = TimeSpan.FromMinutes(2) }, "CheckInterval" },
        { "zero directory cache", new() { DirectoryCacheSize = 0 }, "DirectoryCacheSize" },
        { "tiny directory cache", new() { DirectoryCacheSize = 999 }, "DirectoryCacheSize" },
        { "huge directory cache", new() { DirectoryCacheSize = 10_000_001 }, "DirectoryCacheSize" },
        { "zero stream inactivity period", new() { StreamInactivityPeriod = TimeSpan.Zero }, "StreamInactivityPeriod" },
        { "negative stream inactivity period", new() { StreamInactivityPeriod = TimeSpan.FromSeconds(-30) }, "StreamInactivityPeriod" },
        { "stream inactivity period under 10 s", new() { StreamInactivityPeriod = TimeSpan.FromSeconds(9) }, "StreamInactivityPeriod" },
        { "stream inactivity period over an hour", new() { StreamInactivityPeriod = TimeSpan.FromMinutes(61) }, "StreamInactivityPeriod" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_naming_the_setting(string name, SiloMemoryOptions options, string setting)
    {
        var result = new SiloMemoryOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, name);
        Assert.Contains($"Grains:Silo:Memory:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }
}
