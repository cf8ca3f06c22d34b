using System.Net;
using System.Net.Sockets;

namespace Grains.AppHost;

/// <summary>Picks TCP ports that nothing on this machine listens on.</summary>
public static class FreePorts
{
    /// <summary>
    /// <paramref name="count"/> ports from <paramref name="first"/> upwards, skipping those in
    /// <paramref name="exclude"/> and those <paramref name="isFree"/> (default: <see cref="IsFree"/>) rejects.
    /// </summary>
    public static IReadOnlyList<int> Pick(int first, int count, IReadOnlySet<int>? exclude = null, Func<int, bool>? isFree = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        isFree ??= IsFree;
        var picked = new List<int>(count);
        for (var port = first; picked.Count < count; port++)
        {
            if (port > IPEndPoint.MaxPort)
            {
                throw new InvalidOperationException($"No {count} free TCP ports from {first} upwards.");
            }

            if (exclude?.Contains(port) != true && isFree(port))
            {
                picked.Add(port);
            }
        }

        return picked;
    }

    /// <summary>
    /// Whether nothing listens on the port: no answer on 127.0.0.1, and a listener can bind it on
    /// every address and on the loopback address (a server bound to 127.0.0.1 only with SO_REUSEADDR
    /// does not stop a bind to 0.0.0.0, so the bind alone is not enough).
    /// </summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return false; // something answered
        }
        catch (SocketException)
        {
            // Refused: nothing listens on 127.0.0.1.
        }

        return CanListen(IPAddress.Any, port) && CanListen(IPAddress.Loopback, port);
    }

    private static bool CanListen(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port the system picks as free on the loopback address.</summary>
    public static int Ephemeral()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
