using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Grains.Ingestion.Body;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Ingest;

/// <summary>
/// Authentication before inflation, the inflation budget and the body limits at the HTTP edge. The
/// fixture is this class's own, so the budget's counters see only these requests.
/// </summary>
public sealed class EdgeMemoryTests(EdgeMemoryServer server) : IClassFixture<EdgeMemoryServer>
{
    private const long MiB = 1024 * 1024;
    private const int HeaderLimit = 16 * 1024;

    // 200 MiB of zeros behind a first line: without credentials, or with a DSN of a key nobody has.
    private static readonly Lazy<byte[]> AnonymousBomb = new(() => GzipBomb("", 200 * MiB));
    private static readonly Lazy<byte[]> UnknownKeyBomb = new(() => GzipBomb($"{{\"dsn\":\"http://{new string('a', 32)}@127.0.0.1/1\"}}\n", 200 * MiB));

    private InflationBudget Budget => server.Services.GetRequiredService<InflationBudget>();

    private string EnvelopeUrl => $"{server.Url}/api/{server.ProjectId}/envelope/";

    [Fact]
    public async Task Unauthenticated_gzip_bombs_are_refused_after_decoding_no_more_than_the_envelope_header()
    {
        var before = Budget.DecodedBytes;

        var anonymous = Enumerable.Range(0, 8).Select(_ => SendAsync(Post(EnvelopeUrl, AnonymousBomb.Value, auth: null, encoding: "gzip")));
        var unknownKey = Enumerable.Range(0, 2).Select(_ => SendAsync(Post(EnvelopeUrl, UnknownKeyBomb.Value, auth: null, encoding: "gzip")));
        var answers = await Task.WhenAll(anonymous.Concat(unknownKey));

        Assert.All(answers[..8], a => Assert.Equal((401, "bad envelope authentication header"), (a.Status, a.Detail)));
        Assert.All(answers[8..], a => Assert.Equal((403, "event submission rejected with_reason: ProjectKey"), (a.Status, a.Detail)));
        var decoded = Budget.DecodedBytes - before;
        Assert.True(decoded <= 10L * HeaderLimit, $"decoded {decoded} bytes for 10 unauthenticated bombs");
        Assert.Equal(0, Budget.InFlight);
    }

    [Fact]
    public async Task A_bad_key_in_the_headers_is_refused_before_anything_is_decoded()
    {
        var before = Budget.DecodedBytes;
        var badKey = server.AuthHeader(new string('b', 32));

        var envelope = await SendAsync(Post(EnvelopeUrl, AnonymousBomb.Value, badKey, "gzip"));
        var store = await SendAsync(Post($"{server.Url}/api/{server.ProjectId}/store/", AnonymousBomb.Value, badKey, "gzip"));
        var query = await SendAsync(Post($"{EnvelopeUrl}?sentry_key={new string('b', 32)}&sentry_version=7", AnonymousBomb.Value, null, "gzip"));

        Assert.All([envelope, store, query], a => Assert.Equal(403, a.Status));
        Assert.Equal(before, Budget.DecodedBytes);
    }

    [Fact]
    public async Task A_full_inflation_budget_answers_503_with_retry_after_and_serves_again_once_released()
    {
        var envelope = Encoding.UTF8.GetBytes("{}\n{\"type\":\"client_report\"}\n{\"discarded_events\":[]}\n{\"type\":\"attachment\",\"length\":65536}\n" + new string('a', 65536));
        // The budget full, and another body already growing past it.
        var other = new object();
        Budget.Reserve(Budget.MaxBytes);
        await Budget.ReserveAsync(1, other, CancellationToken.None);
        HttpResponseMessage refused;
        try
        {
            refused = await server.Http.SendAsync(Post(EnvelopeUrl, envelope, server.AuthHeader()));
        }
        finally
        {
            Budget.Release(Budget.MaxBytes + 1, large: false);
            Budget.Finish(other);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("failed to queue envelope", Detail(await refused.Content.ReadAsStringAsync()));
        Assert.True(Budget.Rejections >= 1);

        var served = await SendAsync(Post(EnvelopeUrl, envelope, server.AuthHeader()));
        Assert.Equal(200, served.Status);
    }

    [Fact]
    public async Task A_declared_length_over_200_MiB_is_413_before_the_body_is_sent()
    {
        var before = Budget.DecodedBytes;
        var head = $"POST /api/{server.ProjectId}/envelope/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sentry-Auth: {server.AuthHeader()}\r\nContent-Length: {(200 * MiB) + 1}\r\n\r\n";

        var (status, detail) = await RawExchangeAsync(head, body: null);

        Assert.Equal((413, "failed to read request body"), (status, detail));
        Assert.Equal(before, Budget.DecodedBytes);
    }

    [Fact]
    public async Task A_chunked_body_over_200_MiB_is_413_with_relays_detail()
    {
        var head = $"POST /api/{server.ProjectId}/envelope/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sentry-Auth: {server.AuthHeader()}\r\nTransfer-Encoding: chunked\r\n\r\n";

        var (status, detail) = await RawExchangeAsync(head, body: (200 * MiB) + (1 * MiB));

        Assert.Equal((413, "failed to read request body"), (status, detail));
        Assert.Equal(0, Budget.InFlight);
    }

    [Fact]
    public async Task A_35_MB_envelope_is_not_cut_by_kestrels_30_MB_default()
    {
        var size = 35_000_000;
        var envelope = Encoding.UTF8.GetBytes($"{{\"event_id\":\"{Guid.NewGuid():N}\"}}\n{{\"type\":\"attachment\",\"length\":{size},\"filename\":\"big.bin\"}}\n" + new string('a', size));

        var answer = await SendAsync(Post(EnvelopeUrl, envelope, server.AuthHeader()));

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task A_small_envelope_of_a_million_items_is_413()
    {
        var items = string.Concat(Enumerable.Repeat("{\"type\":\"x\"}\n\n", 1_000_000));
        var wire = Gzip(Encoding.UTF8.GetBytes("{}\n" + items));

        var answer = await SendAsync(Post(EnvelopeUrl, wire, server.AuthHeader(), "gzip"));

        Assert.Equal((413, "envelope exceeded size limits for type 'x' (https://develop.sentry.dev/sdk/envelopes/#size-limits)"), (answer.Status, answer.Detail));
    }

    private static HttpRequestMessage Post(string url, byte[] body, string? auth, string? encoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        if (auth is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Sentry-Auth", auth);
        }

        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        return request;
    }

    private async Task<(int Status, string? Detail)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : Detail(text));
        }
    }

    private static string? Detail(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("detail").GetString();
    }

    /// <summary>
    /// Sends <paramref name="head"/> and then, when <paramref name="body"/> is given, that many bytes of
    /// an envelope in 64 KiB chunks, while reading the answer: the server may answer before the body ends.
    /// </summary>
    private async Task<(int Status, string? Detail)> RawExchangeAsync(string head, long? body)
    {
        var uri = new Uri(server.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var stop = new CancellationTokenSource();
        var sending = body is { } total ? SendChunksAsync(stream, total, stop.Token) : Task.CompletedTask;

        var response = await ReadResponseAsync(stream);
        await stop.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The server stopped reading once it had answered.
        }

        var status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var json = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, Detail(json));
    }

    private static async Task SendChunksAsync(NetworkStream stream, long total, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'a');
        var first = "{}\n{\"type\":\"attachment\"}\n"u8;
        first.CopyTo(chunk);
        var frameHead = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        for (long sent = 0; sent < total && !cancellationToken.IsCancellationRequested; sent += chunk.Length)
        {
            await stream.WriteAsync(frameHead, cancellationToken);
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
            chunk.AsSpan(0, 32).Fill((byte)'a');
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
    }

    // Reads one response with a Content-Length body (the edge always sets it).
    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var n = await stream.ReadAsync(chunk, deadline.Token);
            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, n);
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (Encoding.UTF8.GetByteCount(text) >= end + 4 + length)
            {
                return text;
            }
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static byte[] GzipBomb(string firstLine, long zeros)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(firstLine));
            var block = new byte[1 << 20];
            for (long written = 0; written < zeros; written += block.Length)
            {
                gzip.Write(block);
            }
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
