using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Grouping.Enhancements;

namespace Grains.IngestBench;

/// <summary>
/// <c>grouping [--events N] [--traces N] [--pool N] [--rows nocache,cache,miss,norules]</c>: the ingest pipeline's grouping step (hashes, then
/// title/culprit/metadata) for the bench corpus' events, in process on one thread, without a server. Events
/// are normalized first (outside the timing) as the edge does; the timed loop reports µs/event and
/// bytes allocated/event (<see cref="GC.GetAllocatedBytesForCurrentThread"/>).
/// </summary>
public static class GroupingBench
{
    public static int Run(string[] args)
    {
        var events = BenchArgs.Int(args, "--events", 20_000);
        var traces = BenchArgs.Int(args, "--traces", 1000);
        var poolSize = BenchArgs.Int(args, "--pool", 4000);
        var rowsIndex = Array.IndexOf(args, "--rows");
        var rows = rowsIndex >= 0 && rowsIndex + 1 < args.Length ? args[rowsIndex + 1].Split(',') : ["nocache", "cache", "miss", "norules"];
        Console.WriteLine(Machine.Describe());

        var corpus = new Corpus(traces, seed: 7);
        var normalizer = new EventNormalizer();
        var pool = new List<JsonObject>(poolSize);
        for (var i = 0; i < poolSize; i++)
        {
            var json = Encoding.UTF8.GetBytes(corpus.NextEvent().ToJsonString());
            pool.Add(normalizer.Normalize(json, new NormalizationContext(DateTimeOffset.UtcNow)));
        }

        var config = GroupingConfig.Default;
        Console.WriteLine($"grouping: {traces} distinct stack traces, a pool of {poolSize} normalized events, {events} timed events per row, one thread");
        Console.WriteLine("| grouping step | µs/event (thread CPU) | µs/event (wall) | bytes allocated/event |");
        Console.WriteLine("|---|---|---|---|");
        var cache = new GroupingCache(new GroupingCacheOptions());
        if (rows.Contains("nocache"))
        {
            Measure("no cache", pool, events, config, () => null);
        }

        if (rows.Contains("cache"))
        {
            Measure($"cache (warm, default cap {GroupingCacheOptions.DefaultMaxFrames:N0} frames)", pool, events, config, () => cache);
        }

        if (rows.Contains("miss"))
        {
            Measure("cache, every frame a miss (a new cache per event)", pool, events, config, () => new GroupingCache(new GroupingCacheOptions()));
        }

        if (rows.Contains("norules"))
        {
            Measure("no rules at all (not Sentry's grouping: shows the share of rule matching)", pool, events, new GroupingConfig(EnhancementRuleSet.Parse(string.Empty), config.FingerprintRules), () => null);
        }

        // The cache's footprint: a fresh cache filled by the whole pool.
        var filled = new GroupingCache(new GroupingCacheOptions());
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var evt in pool)
        {
            GroupingEngine.Compute(evt, config, filled);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cache after the pool: {filled.Count:N0} distinct frames, {(after - before) / 1024.0 / 1024.0:0.0} MB retained ({(after - before) / (double)Math.Max(1, filled.Count):N0} B/frame, key strings included); warm row: {cache.Hits:N0} hits, {cache.Misses:N0} misses"));
        GC.KeepAlive(filled);
        return 0;
    }

    private static void Measure(string label, List<JsonObject> pool, int events, GroupingConfig config, Func<GroupingCache?> cacheFor)
    {
        // Warm-up: JIT tiers, regex construction, rule parsing (and, for a shared cache, filling it).
        for (var i = 0; i < Math.Min(pool.Count, 2000); i++)
        {
            Step(pool[i], config, cacheFor());
        }

        // Best of three timed loops: on a shared machine the fastest is the one least disturbed by others.
        var bestCpu = double.MaxValue;
        var bestWall = double.MaxValue;
        var bytes = 0.0;
        for (var round = 0; round < 3; round++)
        {
            GC.Collect();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpu.Seconds();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < events; i++)
            {
                Step(pool[i % pool.Count], config, cacheFor());
            }

            watch.Stop();
            bestCpu = Math.Min(bestCpu, (ThreadCpu.Seconds() - cpu) * 1e6 / events);
            bestWall = Math.Min(bestWall, watch.Elapsed.TotalMicroseconds / events);
            bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)events;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {bestCpu:0.0} | {bestWall:0.0} | {bytes:N0} |"));
    }

    private static void Step(JsonObject evt, GroupingConfig config, GroupingCache? cache)
    {
        var grouping = GroupingEngine.Compute(evt, config, cache);
        EventMetadataDeriver.Derive(evt, config, grouping);
    }
}
