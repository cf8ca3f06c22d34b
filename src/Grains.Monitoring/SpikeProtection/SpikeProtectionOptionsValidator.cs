using Microsoft.Extensions.Options;

namespace Grains.Monitoring.SpikeProtection;

/// <summary>Refuses <see cref="SpikeProtectionOptions"/> that cannot work, at start.</summary>
public sealed class SpikeProtectionOptionsValidator : IValidateOptions<SpikeProtectionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SpikeProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinimumThreshold < 1)
        {
            failures.Add($"{SpikeProtectionOptions.Section}:MinimumThreshold must be at least 1 (0 would reject everything).");
        }

        if (options.MinimumHistory < TimeSpan.Zero || options.MinimumHistory > TimeSpan.FromDays(7))
        {
            failures.Add($"{SpikeProtectionOptions.Section}:MinimumHistory must be between 0 and 7 days (the formula reads a week).");
        }

        if (options.RefreshInterval < TimeSpan.FromSeconds(1) || options.RefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{SpikeProtectionOptions.Section}:RefreshInterval must be between 1 second and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
