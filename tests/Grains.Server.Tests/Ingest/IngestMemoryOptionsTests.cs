using Grains.Server.Ingest;

namespace Grains.Server.Tests.Ingest;

public sealed class IngestMemoryOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_the_budget_is_at_most_256_MiB()
    {
        var options = new IngestMemoryOptions();
        Assert.True(new IngestMemoryOptionsValidator().Validate(null, options).Succeeded);
        Assert.InRange(options.ResolveMaxInflatingBytes(), 64L << 20, 256L << 20);
        Assert.Equal(123, new IngestMemoryOptions { MaxInflatingBytes = 123 }.ResolveMaxInflatingBytes());
    }

    public static TheoryData<string, IngestMemoryOptions, string> InvalidOptions => new()
    {
        { "zero budget", new() { MaxInflatingBytes = 0 }, "MaxInflatingBytes" },
        { "negative wait", new() { InflationWait = TimeSpan.FromSeconds(-1) }, "InflationWait" },
        { "wait past client timeouts", new() { InflationWait = TimeSpan.FromMinutes(1) }, "InflationWait" },
        { "zero retry-after", new() { RetryAfter = TimeSpan.Zero }, "RetryAfter" },
        { "zero idle time", new() { ReclaimAfterIdle = TimeSpan.Zero }, "ReclaimAfterIdle" },
        { "zero reclaim threshold", new() { ReclaimThresholdBytes = 0 }, "ReclaimThresholdBytes" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_naming_the_setting(string name, IngestMemoryOptions options, string setting)
    {
        var result = new IngestMemoryOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, name);
        Assert.Contains($"Grains:Ingest:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }
}
