using System.Net;
using Grains.Server.Ingest.Protection;
using Microsoft.Extensions.Options;

namespace Grains.Server.Tests.Filters;

/// <summary>The client address rule: the first X-Forwarded-For hop only when the peer is a trusted proxy.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("", "10.0.0.5", "203.0.113.9", "10.0.0.5")] // no trusted proxies: the header is ignored
    [InlineData("10.0.0.0/8", "10.0.0.5", "203.0.113.9", "203.0.113.9")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9")] // the first hop
    [InlineData("10.0.0.0/8", "10.0.0.5", " 203.0.113.9 ,x", "203.0.113.9")]
    [InlineData("10.0.0.0/8", "192.0.2.1", "203.0.113.9", "192.0.2.1")] // an untrusted peer
    [InlineData("10.0.0.0/8", "10.0.0.5", null, "10.0.0.5")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "", "10.0.0.5")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "unknown", "10.0.0.5")] // an unparseable hop: the peer
    [InlineData("10.0.0.0/8", "10.0.0.5", "999.1.1.1", "10.0.0.5")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "203.0.113.9:51234", "203.0.113.9")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("10.0.0.0/8", "10.0.0.5", "2001:db8::1", "2001:db8::1")]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.5", "203.0.113.9", "203.0.113.9")] // a mapped peer is its IPv4
    [InlineData("10.0.0.0/8", "10.0.0.5", "::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("::1", "::1", "203.0.113.9", "203.0.113.9")]
    public void The_client_is_the_first_hop_behind_a_trusted_proxy(string trusted, string peer, string? forwardedFor, string expected)
    {
        var resolver = new ClientAddressResolver(Options.Create(new ClientAddressOptions { TrustedProxies = [.. trusted.Split(',', StringSplitOptions.RemoveEmptyEntries)] }));
        var address = IPAddress.Parse(peer);
        Assert.Equal(IPAddress.Parse(expected), resolver.Compute(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, forwardedFor));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("proxy.local", false)]
    [InlineData("", false)]
    public void Trusted_proxies_must_be_networks(string entry, bool valid) =>
        Assert.Equal(valid, new ClientAddressOptionsValidator().Validate(null, new ClientAddressOptions { TrustedProxies = [entry] }).Succeeded);
}
