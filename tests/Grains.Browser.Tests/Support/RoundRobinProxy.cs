using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Browser.Tests.Support;

/// <summary>
/// A plain TCP load balancer: each new connection goes to the next backend in turn, with no affinity
/// of any kind (no cookies, no source hashing). It reads the request lines going through (only to
/// report which backend served what: a page's document, a circuit's WebSocket); it changes nothing.
/// </summary>
internal sealed partial class RoundRobinProxy : IAsyncDisposable
{
    private readonly IReadOnlyList<Uri> _backends;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _connections = [];
    private readonly List<Request> _requests = [];
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private int _next;

    public RoundRobinProxy(IReadOnlyList<Uri> backends)
    {
        _backends = backends;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect.</summary>
    public Uri Url { get; }

    /// <summary>Every request line read so far, in order, with the backend its connection went to.</summary>
    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every connection so far: which backend it went to and the requests seen on it.</summary>
    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var backend = Interlocked.Increment(ref _next) - 1;
            var connection = new Connection(backend % _backends.Count, Record);
            lock (_connections)
            {
                _connections.Add(connection);
                _pumps.RemoveAll(task => task.IsCompleted);
                _pumps.Add(ServeAsync(client, connection));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, Connection connection)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                var target = _backends[connection.Backend];
                await upstream.ConnectAsync(target.Host, target.Port, _stop.Token);
                client.NoDelay = upstream.NoDelay = true;
                var fromClient = client.GetStream();
                var toBackend = upstream.GetStream();
                // Either direction ending ends the connection (as a TCP load balancer would).
                await Task.WhenAny(
                    PumpAsync(fromClient, toBackend, connection),
                    PumpAsync(toBackend, fromClient, null));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The other side went away.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Connection? sniffed)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                sniffed?.Sniff(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_connections)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }

    private void Record(Request request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
    }

    /// <summary>A request line (<c>GET /path?query</c>) and the backend that got it.</summary>
    public sealed record Request(int Backend, string Method, string Target)
    {
        /// <summary>Whether this is a Blazor circuit's WebSocket (<c>GET /_blazor?id=…</c>, not <c>/_blazor/initializers</c>).</summary>
        public bool IsCircuit => Method == "GET" && (Target == "/_blazor" || Target.StartsWith("/_blazor?", StringComparison.Ordinal));

        public override string ToString() => $"silo{Backend + 1} {Method} {Target}";
    }

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|HEAD|OPTIONS) (\S+) HTTP/1\.1$")]
    private static partial Regex RequestLine();

    /// <summary>One client connection: its backend and the HTTP requests read on it (until it became a WebSocket).</summary>
    public sealed class Connection(int backend, Action<Request> record)
    {
        private readonly List<string> _requests = [];
        private readonly StringBuilder _line = new();
        private bool _webSocket;

        /// <summary>The backend's index.</summary>
        public int Backend { get; } = backend;

        /// <summary>Request lines (<c>GET /path</c>) in order.</summary>
        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        /// <summary>Whether the connection was upgraded to a WebSocket (a Blazor circuit here).</summary>
        public bool IsWebSocket => Volatile.Read(ref _webSocket);

        internal void Sniff(ReadOnlySpan<byte> data)
        {
            if (IsWebSocket)
            {
                return;
            }

            foreach (var b in data)
            {
                if (b != (byte)'\n')
                {
                    if (_line.Length < 4096)
                    {
                        _line.Append((char)b);
                    }

                    continue;
                }

                var line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                if (RequestLine().Match(line) is { Success: true } match)
                {
                    lock (_requests)
                    {
                        _requests.Add(match.Groups[1].Value + " " + match.Groups[2].Value);
                    }

                    record(new Request(Backend, match.Groups[1].Value, match.Groups[2].Value));
                }
                else if (line.StartsWith("Upgrade:", StringComparison.OrdinalIgnoreCase) && line.Contains("websocket", StringComparison.OrdinalIgnoreCase))
                {
                    Volatile.Write(ref _webSocket, true);
                    return;
                }
            }
        }

        public override string ToString() => $"backend {Backend}{(IsWebSocket ? " (WebSocket)" : "")}: {string.Join(", ", Requests)}";
    }
}
