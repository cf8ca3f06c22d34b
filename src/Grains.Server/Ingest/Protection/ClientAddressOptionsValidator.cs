using Grains.Monitoring.Filters;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Refuses trusted proxies that are not addresses or CIDR networks, at start.</summary>
public sealed class ClientAddressOptionsValidator : IValidateOptions<ClientAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!IpRange.TryParse(options.TrustedProxies[i]?.Trim(), out _))
            {
                failures.Add($"{ClientAddressOptions.Section}:TrustedProxies:{i} ('{options.TrustedProxies[i]}') must be an IP address or CIDR network such as 10.0.0.0/8.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
