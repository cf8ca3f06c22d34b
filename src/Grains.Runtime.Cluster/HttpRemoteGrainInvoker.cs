using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Grains.Runtime.Diagnostics;

namespace Grains.Runtime.Cluster;

/// <summary>
/// Sends grain calls to other silos over HTTP/2 (cleartext, prior knowledge) on their internal
/// port, with the cluster secret, the call's remaining time and the W3C trace context (added by
/// the HTTP client from the current activity).
/// </summary>
internal sealed class HttpRemoteGrainInvoker : IRemoteGrainInvoker, IDisposable
{
    /// <summary>The path of the call endpoint.</summary>
    public const string CallPath = "/_grains/v1/call";

    /// <summary>The header carrying the time the caller still waits, in milliseconds.</summary>
    public const string TimeoutHeader = "grains-timeout-ms";

    private readonly HttpClient _client;
    private readonly GrainCallCodec _codec;
    private readonly ClusterSecret _secret;

    public HttpRemoteGrainInvoker(GrainCallCodec codec, ClusterSecret secret, ClusterTransportOptions options)
    {
        _codec = codec;
        _secret = secret;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            MaxResponseContentBufferSize = options.MaxMessageBytes,
        };
    }

    public async Task<object?> InvokeAsync(PartitionOwner owner, GrainId grainId, int partition, MethodInfo method, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var activity = RuntimeInstruments.ActivitySource.StartActivity("grains.call.send", ActivityKind.Client);
        activity?.SetTag("grains.grain", grainId.ToString());
        activity?.SetTag("grains.method", method.Name);
        activity?.SetTag("grains.partition", partition);
        activity?.SetTag("grains.silo", owner.Address);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{owner.Address}{CallPath}")
        {
            Content = new ByteArrayContent(_codec.WriteCall(grainId, method, args)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"{ClusterSecret.Scheme} {_secret.Value}");
        if (Activity.Current is { } current && !request.Headers.Contains("traceparent"))
        {
            // W3C trace context; the HTTP client adds it too when diagnostics listen, this makes it unconditional.
            request.Headers.TryAddWithoutValidation("traceparent", current.Id);
            if (!string.IsNullOrEmpty(current.TraceStateString))
            {
                request.Headers.TryAddWithoutValidation("tracestate", current.TraceStateString);
            }
        }

        request.Headers.TryAddWithoutValidation(TimeoutHeader, ((long)Math.Max(1, timeout.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // Nothing was sent: the call did not run, so the router may try again elsewhere.
            throw new SiloUnavailableException(owner.Address, exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GrainCallTimeoutException($"Call to {grainId} {method.DeclaringType?.Name}.{method.Name} on silo {owner.Address}", timeout);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return _codec.ReadAnswer(body, MethodResultType(method));
                case HttpStatusCode.MisdirectedRequest:
                    var moved = JsonSerializer.Deserialize(body, ClusterJsonContext.Default.MovedAnswer);
                    throw new PartitionMovedException(partition, moved?.Epoch ?? 0, owner.Address);
                case HttpStatusCode.ServiceUnavailable:
                    // The silo is stopping and did not run the call.
                    throw new SiloUnavailableException(owner.Address);
                case HttpStatusCode.Unauthorized:
                    throw new InvalidOperationException($"Silo {owner.Address} refused the cluster secret: every silo needs the same Grains:Cluster:Secret.");
                default:
                    throw new RemoteGrainException("HTTP " + (int)response.StatusCode, $"Silo {owner.Address} rejected the call to {grainId} {method.Name}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
        }
    }

    public void Dispose() => _client.Dispose();

    internal static Type? MethodResultType(MethodInfo method)
    {
        var type = method.ReturnType;
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : null;
    }
}
