using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Refuses Kestrel limits that cannot work, at start.</summary>
public sealed class KestrelLimitsOptionsValidator : IValidateOptions<KestrelLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, KestrelLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxConcurrentConnections is < 1)
        {
            failures.Add($"{KestrelLimitsOptions.Section}:MaxConcurrentConnections must be positive (or empty for no limit).");
        }

        if (options.MaxRequestHeadersTotalSize < 1024 || options.MaxRequestHeaderCount < 10 || options.MaxRequestLineSize < 1024)
        {
            failures.Add($"{KestrelLimitsOptions.Section}: header limits below 1 KiB, 10 headers or a 1 KiB request line would refuse ordinary SDK requests.");
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.KeepAliveTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{KestrelLimitsOptions.Section}:RequestHeadersTimeout and KeepAliveTimeout must be positive.");
        }

        if (options.MinRequestBodyDataRate < 0 || (options.MinRequestBodyDataRate > 0 && options.MinRequestBodyDataRateGracePeriod <= TimeSpan.FromSeconds(1)))
        {
            failures.Add($"{KestrelLimitsOptions.Section}:MinRequestBodyDataRate must be 0 (off) or positive with a grace period over 1 second (Kestrel's minimum).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
