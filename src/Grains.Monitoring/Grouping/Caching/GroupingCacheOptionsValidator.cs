using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Grouping.Caching;

/// <summary>Refuses <see cref="GroupingCacheOptions"/> that cannot work, at start.</summary>
public sealed class GroupingCacheOptionsValidator : IValidateOptions<GroupingCacheOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GroupingCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxFrames is < GroupingCacheOptions.MinMaxFrames or > GroupingCacheOptions.MaxMaxFrames)
        {
            return ValidateOptionsResult.Fail(
                $"{GroupingCacheOptions.Section}:MaxFrames must be between {GroupingCacheOptions.MinMaxFrames} and {GroupingCacheOptions.MaxMaxFrames} (got {options.MaxFrames}); set Enabled to false to switch the cache off.");
        }

        return ValidateOptionsResult.Success;
    }
}
