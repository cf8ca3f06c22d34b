namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>client_ips</c>: the request's client address (not the event's <c>user.ip_address</c>)
/// inside any listed address or network. Entries that do not parse are ignored, as Relay does.
/// </summary>
public sealed class ClientIpsFilter : IInboundFilter
{
    private readonly IpRange[] _ranges;

    public ClientIpsFilter(IEnumerable<string> entries)
    {
        var ranges = new List<IpRange>();
        foreach (var entry in entries)
        {
            if (IpRange.TryParse(entry.Trim(), out var range))
            {
                ranges.Add(range);
            }
        }

        _ranges = [.. ranges];
    }

    public string Reason => FilterReasons.IpAddress;

    public bool IsEmpty => _ranges.Length == 0;

    public bool Matches(FilterEvent e)
    {
        var address = e.ClientAddress;
        if (address is null)
        {
            return false;
        }

        foreach (var range in _ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
