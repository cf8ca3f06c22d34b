using System.Diagnostics;
using System.Net;
using System.Text;

namespace Grains.IngestBench;

/// <summary>Load patterns over a pool of pre-built envelopes whose event ids are rewritten per request (so none is a duplicate).</summary>
public static class Load
{
    private const int PoolSize = 4096;

    public static Task<LoadResult> RunClosedAsync(string url, Corpus corpus, int connections, TimeSpan warmup, TimeSpan duration) =>
        RunClosedAsync([url], corpus, connections, warmup, duration);

    /// <summary>A closed loop spread over several servers: connection <c>w</c> sends to <c>urls[w % urls.Count]</c>.</summary>
    public static async Task<LoadResult> RunClosedAsync(IReadOnlyList<string> urls, Corpus corpus, int connections, TimeSpan warmup, TimeSpan duration)
    {
        var pool = Pool(corpus);
        using var client = Client(connections);
        var latencies = new List<double>[connections];
        long warmupAccepted = 0;
        long accepted = 0;
        long failed = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var end = warmup + duration;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            var random = new Random(w);
            var url = urls[w % urls.Count];
            while (clock.Elapsed < end)
            {
                var body = pool[random.Next(pool.Length)].Fresh();
                var started = clock.Elapsed;
                var ok = await SendAsync(client, url, body);
                var measuring = started >= measureFrom;
                if (ok)
                {
                    if (measuring)
                    {
                        Interlocked.Increment(ref accepted);
                        mine.Add((clock.Elapsed - started).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref warmupAccepted);
                    }
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new LoadResult(accepted, warmupAccepted, failed, duration, [.. latencies.SelectMany(l => l)]);
    }

    /// <summary>A fixed arrival rate; latency counts from the scheduled send time, so queueing is not hidden.</summary>
    public static Task<LoadResult> RunOpenAsync(string url, Corpus corpus, int connections, int rate, TimeSpan duration) =>
        RunOpenAsync([url], Pool(corpus), connections, rate, duration);

    /// <summary>A fixed arrival rate spread over several servers: request <c>i</c> goes to <c>urls[i % urls.Count]</c>.</summary>
    public static Task<LoadResult> RunOpenAsync(IReadOnlyList<string> urls, Corpus corpus, int connections, int rate, TimeSpan duration) =>
        RunOpenAsync(urls, Pool(corpus), connections, rate, duration);

    /// <summary>
    /// A flood: a closed loop as fast as the connections go until <paramref name="stop"/>, counting the
    /// answers by status (a rate-limited tenant mostly gets 429s, which are answered much faster).
    /// </summary>
    public static async Task<FloodResult> RunFloodAsync(IReadOnlyList<string> urls, Corpus corpus, int connections, CancellationToken stop)
    {
        var pool = Pool(corpus);
        using var client = Client(connections);
        long ok = 0;
        long limited = 0;
        long other = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var url = urls[w % urls.Count];
            while (!stop.IsCancellationRequested)
            {
                var status = await SendForStatusAsync(client, url, pool[random.Next(pool.Length)].Fresh());
                Interlocked.Increment(ref status == 200 ? ref ok : ref status == 429 ? ref limited : ref other);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new FloodResult(ok, limited, other, clock.Elapsed);
    }

    /// <summary>A fixed arrival rate where every event carries <paramref name="fingerprint"/>: one hot issue.</summary>
    public static Task<LoadResult> RunOpenOneIssueAsync(string url, Corpus corpus, string fingerprint, int connections, int rate, TimeSpan duration) =>
        RunOpenAsync([url], Pool(corpus, fingerprint), connections, rate, duration);

    private static async Task<LoadResult> RunOpenAsync(IReadOnlyList<string> urls, Template[] pool, int connections, int rate, TimeSpan duration)
    {
        using var client = Client(connections);
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        long accepted = 0;
        long failed = 0;
        var clock = Stopwatch.StartNew();
        var inFlight = new SemaphoreSlim(connections * 4);
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            await inFlight.WaitAsync();
            var index = i;
            var body = pool[i % pool.Length].Fresh();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    if (await SendAsync(client, urls[index % urls.Count], body))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }

                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        return new LoadResult(accepted, 0, failed, clock.Elapsed, latencies);
    }

    /// <summary>Every event a new issue (a type of its own).</summary>
    public static async Task<LoadResult> RunDistinctAsync(string url, Corpus corpus, int connections, int count)
    {
        using var client = Client(connections);
        long accepted = 0;
        long failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                byte[] body;
                lock (corpus)
                {
                    body = corpus.NextEnvelope(uniqueIssue: i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (await SendAsync(client, url, body))
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new LoadResult(accepted, 0, failed, clock.Elapsed, []);
    }

    private static async Task<bool> SendAsync(HttpClient client, string url, byte[] body) =>
        await SendForStatusAsync(client, url, body) == (int)HttpStatusCode.OK;

    /// <summary>The answer's status code, or 0 when the request failed without one.</summary>
    private static async Task<int> SendForStatusAsync(HttpClient client, string url, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/x-sentry-envelope");
            using var response = await client.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        UseProxy = false,
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    private static Template[] Pool(Corpus corpus, string? fingerprint = null)
    {
        var pool = new Template[PoolSize];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = new Template(corpus.NextEnvelope(fingerprint: fingerprint));
        }

        return pool;
    }

    /// <summary>An envelope whose event id (in the header and in the event) is replaced on every use.</summary>
    private sealed class Template
    {
        private readonly byte[] _body;
        private readonly int[] _idOffsets;

        public Template(byte[] body)
        {
            _body = body;
            var text = Encoding.UTF8.GetString(body);
            var start = text.IndexOf("\"event_id\":\"", StringComparison.Ordinal) + 12;
            var id = text.Substring(start, 32);
            var offsets = new List<int>();
            for (var at = text.IndexOf(id, StringComparison.Ordinal); at >= 0; at = text.IndexOf(id, at + 1, StringComparison.Ordinal))
            {
                offsets.Add(Encoding.UTF8.GetByteCount(text.AsSpan(0, at)));
            }

            _idOffsets = [.. offsets];
        }

        public byte[] Fresh()
        {
            var copy = (byte[])_body.Clone();
            Span<byte> id = stackalloc byte[32];
            var guid = Guid.NewGuid();
            Encoding.ASCII.GetBytes(guid.ToString("N"), id);
            foreach (var offset in _idOffsets)
            {
                id.CopyTo(copy.AsSpan(offset));
            }

            return copy;
        }
    }
}
