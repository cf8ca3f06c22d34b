using Grains.Monitoring.Filters;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Refuses a guard that cannot work, at start.</summary>
public sealed class ClientGuardOptionsValidator : IValidateOptions<ClientGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!(options.RequestsPerSecond > 0) || double.IsInfinity(options.RequestsPerSecond))
        {
            failures.Add($"{ClientGuardOptions.Section}:RequestsPerSecond must be a positive number.");
        }

        if (!(options.Burst >= 1) || double.IsInfinity(options.Burst))
        {
            failures.Add($"{ClientGuardOptions.Section}:Burst must be at least 1 (one request).");
        }

        if (options.MaxTrackedAddresses < 1)
        {
            failures.Add($"{ClientGuardOptions.Section}:MaxTrackedAddresses must be positive.");
        }

        for (var i = 0; i < options.ExemptNetworks.Count; i++)
        {
            if (!IpRange.TryParse(options.ExemptNetworks[i]?.Trim(), out _))
            {
                failures.Add($"{ClientGuardOptions.Section}:ExemptNetworks:{i} ('{options.ExemptNetworks[i]}') must be an IP address or CIDR network.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
