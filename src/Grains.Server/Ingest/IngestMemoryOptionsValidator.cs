using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest;

/// <summary>Refuses <see cref="IngestMemoryOptions"/> that cannot work, at start.</summary>
public sealed class IngestMemoryOptionsValidator : IValidateOptions<IngestMemoryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, IngestMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxInflatingBytes is <= 0)
        {
            failures.Add($"{IngestMemoryOptions.Section}:MaxInflatingBytes must be positive (or absent for the default).");
        }

        if (options.InflationWait < TimeSpan.Zero || options.InflationWait > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{IngestMemoryOptions.Section}:InflationWait must be between 0 and 30 seconds: a client waiting longer times out.");
        }

        if (options.RetryAfter <= TimeSpan.Zero || options.RetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{IngestMemoryOptions.Section}:RetryAfter must be between 1 second and 1 hour.");
        }

        if (options.ReclaimAfterIdle <= TimeSpan.Zero)
        {
            failures.Add($"{IngestMemoryOptions.Section}:ReclaimAfterIdle must be positive.");
        }

        if (options.ReclaimThresholdBytes <= 0)
        {
            failures.Add($"{IngestMemoryOptions.Section}:ReclaimThresholdBytes must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
