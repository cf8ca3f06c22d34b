using Microsoft.Extensions.Options;

namespace Grains.Server.Silo;

/// <summary>Refuses memory settings of the silo that cannot work, at start.</summary>
public sealed class SiloMemoryOptionsValidator : IValidateOptions<SiloMemoryOptions>
{
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
