using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Releases;

/// <summary>Refuses <see cref="ReleaseWriteFilterOptions"/> that cannot work, at start.</summary>
public sealed class ReleaseWriteFilterOptionsValidator : IValidateOptions<ReleaseWriteFilterOptions>
{
    public ValidateOptionsResult Validate(string? name, ReleaseWriteFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Window <= TimeSpan.Zero || options.Window > ReleaseWriteFilterOptions.MaxWindow)
        {
            failures.Add($"{ReleaseWriteFilterOptions.Section}:Window must be positive and at most {ReleaseWriteFilterOptions.MaxWindow} (got {options.Window}); set Enabled to false to write every release.");
        }

        if (options.Capacity is < ReleaseWriteFilterOptions.MinCapacity or > ReleaseWriteFilterOptions.MaxCapacity)
        {
            failures.Add($"{ReleaseWriteFilterOptions.Section}:Capacity must be between {ReleaseWriteFilterOptions.MinCapacity} and {ReleaseWriteFilterOptions.MaxCapacity} (got {options.Capacity}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
