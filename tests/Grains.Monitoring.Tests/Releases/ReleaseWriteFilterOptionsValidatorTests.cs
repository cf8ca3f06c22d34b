using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Tests.Releases;

/// <summary>Options of the release upsert filter that cannot work are refused at start, with the setting named.</summary>
public sealed class ReleaseWriteFilterOptionsValidatorTests
{
    public static TheoryData<string, double, int, string?> Cases => new()
    {
        // case, window seconds, capacity, the setting named in the failure (null = valid)
        { "defaults", 60, ReleaseWriteFilterOptions.DefaultCapacity, null },
        { "smallest window and capacity", 0.001, ReleaseWriteFilterOptions.MinCapacity, null },
        { "largest window and capacity", 3600, ReleaseWriteFilterOptions.MaxCapacity, null },
        { "zero window", 0, 1_000, "Window" },
        { "negative window", -1, 1_000, "Window" },
        { "window over an hour", 3600.001, 1_000, "Window" },
        { "capacity below the floor", 60, ReleaseWriteFilterOptions.MinCapacity - 1, "Capacity" },
        { "zero capacity", 60, 0, "Capacity" },
        { "negative capacity", 60, -5, "Capacity" },
        { "capacity over the cap", 60, ReleaseWriteFilterOptions.MaxCapacity + 1, "Capacity" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validates(string @case, double windowSeconds, int capacity, string? failing)
    {
        var options = new ReleaseWriteFilterOptions { Window = TimeSpan.FromSeconds(windowSeconds), Capacity = capacity };
        var result = new ReleaseWriteFilterOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded == (failing is null), @case);
        if (failing is not null)
        {
            Assert.Contains($"{ReleaseWriteFilterOptions.Section}:{failing}", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_defaults_are_Sentrys_minute_and_ten_thousand_rows()
    {
        var options = new ReleaseWriteFilterOptions();
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Window);
        Assert.Equal(10_000, options.Capacity);
    }
}
