using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;

namespace Grains.IngestBench;

/// <summary>
/// <c>payload [--events N] [--qualities 1,2,3,4,5] [--windows 16,18,20,22,24]</c>: Brotli on the bench corpus'
/// events as the edge stores them (normalized, grouped, serialized), in process on one thread: µs/event to
/// compress and to decompress (thread CPU, best of three) and the ratio, per quality and window.
/// </summary>
public static class PayloadBench
{
    public static int Run(string[] args)
    {
        var events = BenchArgs.Int(args, "--events", 4000);
        var qualities = BenchArgs.IntList(args, "--qualities", [1, 2, 3, 4, 5]);
        var windows = BenchArgs.IntList(args, "--windows", [16, 18, 20, 22, 24]);
        Console.WriteLine(Machine.Describe());

        var corpus = new Corpus(1000, seed: 7);
        var normalizer = new EventNormalizer();
        var config = GroupingConfig.Default;
        var pool = new List<byte[]>(events);
        var writerOptions = new JsonWriterOptions { MaxDepth = EventDepth.Max };
        for (var i = 0; i < events; i++)
        {
            var evt = normalizer.Normalize(Encoding.UTF8.GetBytes(corpus.NextEvent().ToJsonString()), new NormalizationContext(DateTimeOffset.UtcNow));
            EventMetadataDeriver.Derive(evt, config, GroupingEngine.Compute(evt, config, null));
            pool.Add(Serialize(evt, writerOptions));
        }

        var raw = pool.Sum(p => (long)p.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"payload: {events} events, {raw / (double)events:N0} B JSON on average, one thread, best of three"));
        Console.WriteLine("| quality | window | compress µs/event | decompress µs/event | B/event | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var scratch = new byte[BrotliEncoder.GetMaxCompressedLength(pool.Max(p => p.Length))];
        var json = new byte[pool.Max(p => p.Length)];
        foreach (var quality in qualities)
        {
            foreach (var window in windows)
            {
                var compressed = new byte[pool.Count][];
                var bestCompress = double.MaxValue;
                var bestDecompress = double.MaxValue;
                for (var round = 0; round < 3; round++)
                {
                    var cpu = ThreadCpu.Seconds();
                    for (var i = 0; i < pool.Count; i++)
                    {
                        if (!BrotliEncoder.TryCompress(pool[i], scratch, out var written, quality, window))
                        {
                            throw new InvalidOperationException("compression failed");
                        }

                        compressed[i] = scratch.AsSpan(0, written).ToArray();
                    }

                    bestCompress = Math.Min(bestCompress, (ThreadCpu.Seconds() - cpu) * 1e6 / pool.Count);
                    cpu = ThreadCpu.Seconds();
                    for (var i = 0; i < pool.Count; i++)
                    {
                        if (!BrotliDecoder.TryDecompress(compressed[i], json, out var written) || written != pool[i].Length)
                        {
                            throw new InvalidOperationException("decompression failed");
                        }
                    }

                    bestDecompress = Math.Min(bestDecompress, (ThreadCpu.Seconds() - cpu) * 1e6 / pool.Count);
                }

                var size = compressed.Sum(c => (long)c.Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {quality} | {window} | {bestCompress:0.0} | {bestDecompress:0.0} | {size / (double)pool.Count:N0} | {raw / (double)size:0.00} |"));
            }
        }

        return 0;
    }

    private static byte[] Serialize(JsonObject evt, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            evt.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

}
