using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Projects.Options;

/// <summary><c>filters:blacklisted_ips</c>: client addresses and CIDR networks whose events are dropped (Sentry's <c>sentry:blacklisted_ips</c>).</summary>
public sealed class BlacklistedIpsOption : NewlineListOption
{
    public static BlacklistedIpsOption Instance { get; } = new();

    public override string Key => "filters:blacklisted_ips";

    protected override bool LowerCase => true;

    protected override string? ValidateLine(string line) =>
        IpRange.TryParse(line, out _) ? null : $"'{line}' is not an IP address or CIDR network (such as 10.0.0.0/8 or 2001:db8::/32).";
}
