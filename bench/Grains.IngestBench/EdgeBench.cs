using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.IngestBench;

/// <summary>
/// <c>edge [--events N] [--traces N] [--pool N] [--batch N]</c>: the ingest edge's pipeline steps (normalize, group,
/// facts, locate, encode: the server's own step classes, the grouping cache on as by default, the issue locator over a
/// store that knows no issue) over the bench corpus' events, in process on one thread, without a server. Each step runs
/// over a batch of events at a time, so its thread CPU (<see cref="ThreadClock"/>), wall time and bytes allocated
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) are its own; a gen-0 collection a step triggers is charged to it.
/// Two more rows split the normalizer's parse: reading the bytes alone versus building the <c>JsonObject</c> tree.
/// </summary>
public static class EdgeBench
{
    public static int Run(string[] args)
    {
        var events = BenchArgs.Int(args, "--events", 20_000);
        var traces = BenchArgs.Int(args, "--traces", 1000);
        var poolSize = BenchArgs.Int(args, "--pool", 4000);
        var batch = BenchArgs.Int(args, "--batch", 64);
        Console.WriteLine(Machine.Describe());

        var corpus = new Corpus(traces, seed: 7);
        var pool = new List<byte[]>(poolSize);
        for (var i = 0; i < poolSize; i++)
        {
            pool.Add(Encoding.UTF8.GetBytes(corpus.NextEvent().ToJsonString()));
        }

        var key = new ResolvedKey(
            new ProjectKeyRecord { ProjectId = 1, Name = "bench", PublicKey = new string('0', 32), SecretKey = new string('1', 32), DateCreated = DateTimeOffset.UnixEpoch },
            new ProjectRecord { Id = 1, OrganizationId = 1, Slug = "bench", Name = "bench", DateCreated = DateTimeOffset.UnixEpoch },
            GroupingConfig.Default);
        IEventPipelineStep[] steps =
        [
            new NormalizeEventStep(new EventNormalizer()),
            new ComputeGroupingStep(new GroupingCache(new GroupingCacheOptions())),
            new DeriveFactsStep(),
            new LocateIssueStep(new IssueLocator(new NoIssues())),
            new EncodeStreamItemStep(),
        ];

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edge: {traces} distinct stack traces, a pool of {poolSize} events (average {pool.Average(p => p.Length) / 1024.0:0.0} KiB of JSON), {events} timed events in batches of {batch}, one thread, best of 3 rounds per step"));

        // Warm-up: JIT tiers, regexes, rule parsing, the grouping cache and the locator's cache.
        RunRound(steps, key, pool, Math.Min(pool.Count, 4000), batch);

        var rounds = new List<Dictionary<string, Measured>>();
        for (var round = 0; round < 3; round++)
        {
            rounds.Add(RunRound(steps, key, pool, events, batch));
        }

        Console.WriteLine("| edge step | µs/event (thread CPU) | µs/event (wall) | bytes allocated/event |");
        Console.WriteLine("|---|---|---|---|");
        var totalCpu = 0.0;
        var totalWall = 0.0;
        var totalBytes = 0.0;
        foreach (var step in steps)
        {
            var best = Best(rounds, step.Name);
            totalCpu += best.Cpu;
            totalWall += best.Wall;
            totalBytes += best.Bytes;
            Print(step.Name, best, events);
        }

        Print("**total**", new Measured(totalCpu, totalWall, totalBytes), events);

        // What the parse-once model could save: the normalizer's tree against reading the same bytes.
        var parse = new List<Dictionary<string, Measured>>();
        for (var round = 0; round < 4; round++)
        {
            var measured = new Dictionary<string, Measured>(StringComparer.Ordinal)
            {
                ["read"] = Time(() => ReadTokens(pool, events)),
                ["tree"] = Time(() => BuildTrees(pool, events)),
            };
            if (round > 0)
            {
                parse.Add(measured);
            }
        }

        Print("normalize's parse alone: the JsonObject tree (EventJsonReader)", Best(parse, "tree"), events);
        Print("reading the same bytes (Utf8JsonReader, every token, strings decoded), no tree", Best(parse, "read"), events);
        return 0;
    }

    private static Dictionary<string, Measured> RunRound(IEventPipelineStep[] steps, ResolvedKey key, List<byte[]> pool, int events, int batch)
    {
        var totals = steps.ToDictionary(s => s.Name, _ => new Measured(0, 0, 0), StringComparer.Ordinal);
        GC.Collect();
        for (var start = 0; start < events; start += batch)
        {
            var contexts = new EventContext[Math.Min(batch, events - start)];
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < contexts.Length; i++)
            {
                contexts[i] = new EventContext(key, pool[(start + i) % pool.Count], new NormalizationContext(now));
            }

            foreach (var step in steps)
            {
                var measured = Time(() =>
                {
                    foreach (var context in contexts)
                    {
                        var pending = step.RunAsync(context, CancellationToken.None);
                        // Every step completes synchronously here (the locator's store answers at once); wait anyway.
                        if (!pending.IsCompletedSuccessfully)
                        {
                            pending.AsTask().GetAwaiter().GetResult();
                        }
                    }
                });
                var sum = totals[step.Name];
                totals[step.Name] = new Measured(sum.Cpu + measured.Cpu, sum.Wall + measured.Wall, sum.Bytes + measured.Bytes);
            }
        }

        return totals;
    }

    private static Measured Time(Action action)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadClock.Seconds();
        var started = Stopwatch.GetTimestamp();
        action();
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Measured(ThreadClock.Seconds() - cpu, wall, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private static Measured Best(List<Dictionary<string, Measured>> rounds, string name) =>
        new(rounds.Min(r => r[name].Cpu), rounds.Min(r => r[name].Wall), rounds[^1][name].Bytes);

    private static void Print(string label, Measured measured, int events) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {measured.Cpu * 1e6 / events:0.0} | {measured.Wall * 1e6 / events:0.0} | {measured.Bytes / events:N0} |"));

    private static void BuildTrees(List<byte[]> pool, int events)
    {
        for (var i = 0; i < events; i++)
        {
            var tree = EventJsonReader.ReadObject(pool[i % pool.Count], new MetaRecorder());
            GC.KeepAlive(tree);
        }
    }

    private static void ReadTokens(List<byte[]> pool, int events)
    {
        var length = 0L;
        for (var i = 0; i < events; i++)
        {
            var reader = new Utf8JsonReader(pool[i % pool.Count]);
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    // As the tree does: a string per key and per value.
                    length += reader.GetString()!.Length;
                }
            }
        }

        GC.KeepAlive(length);
    }


    private readonly record struct Measured(double Cpu, double Wall, double Bytes);
}
