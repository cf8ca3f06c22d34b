using Microsoft.Extensions.Options;

namespace Grains.Server.Silo;

/// <summary>Refuses memory settings of the silo that cannot work, at start.</summary>
public sealed class SiloMemoryOptionsValidator : IValidateOptions<SiloMemoryOptions>
{
    /// <summary>
    /// The shortest stream inactivity period accepted: 10 s. Orleans checks the period on its own timer and a
    /// stream that receives events every few seconds must not be dropped and re-registered between them.
    /// </summary>
    public static readonly TimeSpan MinStreamInactivityPeriod = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxIssueActivations != 0
            && options.MaxIssueActivations is < SiloMemoryOptions.MinMaxIssueActivations or > SiloMemoryOptions.MaxMaxIssueActivations)
        {
            failures.Add($"{SiloMemoryOptions.Section}:MaxIssueActivations must be 0 (no cap) or between {SiloMemoryOptions.MinMaxIssueActivations:N0} and {SiloMemoryOptions.MaxMaxIssueActivations:N0} (got {options.MaxIssueActivations}).");
        }

        if (options.CheckInterval < TimeSpan.FromMilliseconds(100) || options.CheckInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SiloMemoryOptions.Section}:CheckInterval must be between 100 ms and 1 minute (got {options.CheckInterval}).");
        }

        if (options.DirectoryCacheSize is < 1_000 or > 10_000_000)
        {
            failures.Add($"{SiloMemoryOptions.Section}:DirectoryCacheSize must be between 1,000 and 10,000,000 (got {options.DirectoryCacheSize}).");
        }

        if (options.StreamInactivityPeriod < MinStreamInactivityPeriod || options.StreamInactivityPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{SiloMemoryOptions.Section}:StreamInactivityPeriod must be between {MinStreamInactivityPeriod.TotalSeconds:0} s and 1 hour (got {options.StreamInactivityPeriod}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
