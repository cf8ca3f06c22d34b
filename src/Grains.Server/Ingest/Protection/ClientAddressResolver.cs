using System.Net;
using Grains.Monitoring.Filters;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>
/// The client address of a request (see <see cref="ClientAddressOptions"/>), computed once per request
/// and kept as a request feature. IPv4-mapped IPv6 peers read as IPv4.
/// </summary>
public sealed class ClientAddressResolver
{
    private readonly IpRange[] _trusted;

    public ClientAddressResolver(IOptions<ClientAddressOptions> options)
    {
        _trusted = [.. options.Value.TrustedProxies.Select(p => IpRange.TryParse(p.Trim(), out var range) ? range : throw new ArgumentException($"Not a network: {p}"))];
    }

    /// <summary>The request's client address (the peer, or the first forwarded hop behind a trusted proxy).</summary>
    public IPAddress? Resolve(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<ClientAddress>() is { } known)
        {
            return known.Address;
        }

        var address = Compute(Normalize(http.Connection.RemoteIpAddress), http.Request.Headers["X-Forwarded-For"].ToString());
        http.Features.Set(new ClientAddress(address));
        return address;
    }

    /// <summary>The rule on its own: <paramref name="forwardedFor"/>'s first hop when <paramref name="peer"/> is trusted and the hop parses, else the peer.</summary>
    public IPAddress? Compute(IPAddress? peer, string? forwardedFor)
    {
        if (peer is null || _trusted.Length == 0 || string.IsNullOrEmpty(forwardedFor) || !IsTrusted(peer))
        {
            return peer;
        }

        var comma = forwardedFor.IndexOf(',', StringComparison.Ordinal);
        var first = (comma < 0 ? forwardedFor : forwardedFor[..comma]).Trim();
        return ParseHop(first) is { } client ? Normalize(client) : peer;
    }

    private bool IsTrusted(IPAddress peer)
    {
        foreach (var range in _trusted)
        {
            if (range.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }

    // "203.0.113.7", "203.0.113.7:51234", "[2001:db8::1]:443" or "2001:db8::1".
    private static IPAddress? ParseHop(string hop)
    {
        if (IPAddress.TryParse(hop, out var address))
        {
            return address;
        }

        if (hop.StartsWith('[') && hop.IndexOf(']', StringComparison.Ordinal) is > 1 and var end)
        {
            return IPAddress.TryParse(hop[1..end], out address) ? address : null;
        }

        var colon = hop.LastIndexOf(':');
        return colon > 0 && hop.IndexOf(':', StringComparison.Ordinal) == colon && IPAddress.TryParse(hop[..colon], out address) ? address : null;
    }

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private sealed record ClientAddress(IPAddress? Address);
}
