using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Admission;

/// <summary>Refuses <see cref="RateLimitOptions"/> that cannot work, at start, naming the setting.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    /// <summary>The longest window, as Sentry's key rate limit allows: one day.</summary>
    public const long MaxWindow = 86_400;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.Organization, "Organization", failures);
        Check(options.Project, "Project", failures);
        if (options.ProjectSharePercent is < 1 or > 100)
        {
            failures.Add($"{RateLimitOptions.Section}:ProjectSharePercent must be between 1 and 100 (a percentage of the organization's quota).");
        }

        if (options.LeaseDivisor is < 1 or > 10_000)
        {
            failures.Add($"{RateLimitOptions.Section}:LeaseDivisor must be between 1 and 10000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(QuotaSetting? quota, string name, List<string> failures)
    {
        if (quota is null)
        {
            return;
        }

        if (quota.Count is < 0)
        {
            failures.Add($"{RateLimitOptions.Section}:{name}:Count must be 0 (reject all) or more, or absent for no quota.");
        }

        if (quota.Window is < 1 or > MaxWindow)
        {
            failures.Add($"{RateLimitOptions.Section}:{name}:Window must be between 1 and {MaxWindow} seconds.");
        }
    }
}
