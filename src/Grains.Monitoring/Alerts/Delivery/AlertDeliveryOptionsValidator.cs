using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>Refuses <see cref="AlertDeliveryOptions"/> that cannot work, at start.</summary>
public sealed class AlertDeliveryOptionsValidator : IValidateOptions<AlertDeliveryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AlertDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = AlertDeliveryOptions.Section;
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{S}:MaxAttempts must be between 1 and 100.");
        }

        if (options.InitialBackoff < TimeSpan.FromMilliseconds(1) || options.InitialBackoff > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:InitialBackoff must be between 1 ms and 1 hour.");
        }

        if (options.MaxBackoff < options.InitialBackoff || options.MaxBackoff > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:MaxBackoff must be at least InitialBackoff and at most 1 day.");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:Timeout must be between 10 ms and 5 minutes: a receiver that never answers holds a slot this long.");
        }

        if (options.SweepPeriod < TimeSpan.FromMilliseconds(10) || options.SweepPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:SweepPeriod must be between 10 ms and 1 hour.");
        }

        if (options.MaxParallel is < 1 or > 256)
        {
            failures.Add($"{S}:MaxParallel must be between 1 and 256.");
        }

        if (options.Retention < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{S}:Retention must be at least 1 minute.");
        }

        if (options.DigestMinimumDelay < TimeSpan.Zero || options.DigestMaximumDelay < options.DigestMinimumDelay || options.DigestMaximumDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:DigestMinimumDelay must be at least 0 and DigestMaximumDelay between it and 1 day.");
        }

        if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            failures.Add($"{S}:PublicUrl must be an absolute http(s) URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
