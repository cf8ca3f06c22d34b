using Microsoft.Extensions.Options;

namespace Grains.Server.Dashboard.Live;

/// <summary>Validates <see cref="LiveUpdateOptions"/> at start.</summary>
public sealed class LiveUpdateOptionsValidator : IValidateOptions<LiveUpdateOptions>
{
    /// <summary>Polling faster than this would load the database for no visible gain.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LiveUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PollInterval < MinPollInterval || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{LiveUpdateOptions.SectionName}:PollInterval must be between 100 ms and one minute.");
        }

        if (options.MinRefreshInterval < TimeSpan.Zero || options.MinRefreshInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{LiveUpdateOptions.SectionName}:MinRefreshInterval must be between zero and five minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
