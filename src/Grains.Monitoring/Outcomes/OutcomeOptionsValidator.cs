using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Outcomes;

/// <summary>Refuses <see cref="OutcomeOptions"/> that cannot work, at start.</summary>
public sealed class OutcomeOptionsValidator : IValidateOptions<OutcomeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OutcomeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.FlushInterval < TimeSpan.FromMilliseconds(10) || options.FlushInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{OutcomeOptions.Section}:FlushInterval must be between 10 ms and 10 minutes: counts wait this long in memory.");
        }

        if (options.MaxBatchRows is < 1 or > 100_000)
        {
            failures.Add($"{OutcomeOptions.Section}:MaxBatchRows must be between 1 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
