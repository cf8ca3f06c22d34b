using System.Net;
using System.Net.Sockets;
using Grains.AppHost;

namespace Grains.AppHost.Tests;

public sealed class FreePortsTests
{
    [Fact]
    public void Consecutive_ports_when_all_are_free() =>
        Assert.Equal([8000, 8001, 8002], FreePorts.Pick(8000, 3, isFree: _ => true));

    [Fact]
    public void Taken_and_excluded_ports_are_skipped()
    {
        var taken = new HashSet<int> { 8001 };
        Assert.Equal([8000, 8003, 8004], FreePorts.Pick(8000, 3, exclude: new HashSet<int> { 8002 }, isFree: p => !taken.Contains(p)));
    }

    [Fact]
    public void Running_out_of_ports_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FreePorts.Pick(65534, 3, isFree: _ => true));
        Assert.Contains("No 3 free TCP ports from 65534", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listening_port_is_not_free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.False(FreePorts.IsFree(port));
        Assert.DoesNotContain(port, FreePorts.Pick(port, 1));
    }

    [Fact]
    public void A_port_a_reusing_server_listens_on_at_loopback_only_is_not_free()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        Assert.False(FreePorts.IsFree(((IPEndPoint)server.LocalEndPoint!).Port));
    }

    [Fact]
    public void A_port_listened_on_at_every_address_is_not_free()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        Assert.False(FreePorts.IsFree(((IPEndPoint)listener.LocalEndpoint).Port));
    }

    [Fact]
    public void An_ephemeral_port_is_free() => Assert.True(FreePorts.IsFree(FreePorts.Ephemeral()));
}
