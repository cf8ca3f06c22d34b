using System.Net;
using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Tests.Filters;

public sealed class IpRangeTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.200.3.4", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)] // host bits ignored, as ipnetwork
    [InlineData("192.168.1.1", "192.168.1.1", true)]
    [InlineData("192.168.1.1", "192.168.1.2", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "::1", false)] // families do not mix
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // an IPv4-mapped peer matches its IPv4 network
    [InlineData("1.2.3.0/25", "1.2.3.127", true)]
    [InlineData("1.2.3.0/25", "1.2.3.128", false)]
    public void Networks_contain_their_addresses(string range, string address, bool contains)
    {
        Assert.True(IpRange.TryParse(range, out var parsed));
        Assert.Equal(contains, parsed.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("example.com")]
    [InlineData("300.1.1.1")]
    [InlineData("10.1")]
    [InlineData("10")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("::1/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("1.2.3.4 /8")]
    public void Malformed_entries_do_not_parse(string text) => Assert.False(IpRange.TryParse(text, out _));
}
