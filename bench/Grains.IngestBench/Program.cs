using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Grains.IngestBench;

// Ingest benchmark: starts the Release server (and, for the ceiling, a bare Kestrel endpoint that reads
// bodies and answers 200) on loopback, replays realistic envelopes, and reports accepted/s,
// processed/s (until the API's counts equal what was accepted), p50/p99 accept latency and peak RSS.
if (args.Length > 0 && args[0] == "ceiling-server")
{
    await CeilingServer.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length > 0 && args[0] == "cluster")
{
    // cluster [--silos 1,3] [--duration s] [--write] ...: throwaway PostgreSQL, N silos, the COPY ceiling (bench/run-cluster.sh).
    return await ClusterBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "grouping")
{
    // grouping [--events N] [--traces N] [--pool N] [--rows nocache,cache,miss,norules]: the grouping step in process, µs and bytes allocated per event.
    return GroupingBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "payload")
{
    // payload [--events N] [--qualities 1,2,3] [--windows 18,22]: Brotli quality/window on the corpus' stored event JSON, µs/event and ratio.
    return PayloadBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "edge")
{
    // edge [--events N] [--traces N] [--pool N] [--batch N]: every edge pipeline step in process, µs of thread CPU and bytes allocated per event per step.
    return EdgeBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "flood")
{
    // flood <seconds> <connections> <url>...: the protection bench's flooding tenant, in a process of its own.
    return await FloodProcess.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "protection")
{
    // protection [--duration s] [--rate n] [--connections n] [--flood-limit n] [--silos n] [--write]: one tenant floods, one sends steadily (bench/run-protection.sh).
    return await ProtectionBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "alerts")
{
    // alerts [--duration s] [--rules n] [--firings n] [--rate n] [--write]: ingest with and without rules, event-to-webhook delay (bench/run-alerts.sh).
    return await AlertsBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    // load <ingest url with sentry_key> <seconds> <connections>: closed loop against a running server (profiling).
    var result = await Load.RunClosedAsync(args[1], new Corpus(1000, seed: 7), int.Parse(args[3], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)));
    Console.WriteLine(result.Row("load", 0));
    return 0;
}

if (args.Length > 0 && args[0] == "paced")
{
    // paced <ingest url with sentry_key> <rate> <seconds> <connections>: a fixed arrival rate (latency at a sustainable load).
    var result = await Load.RunOpenAsync(args[1], new Corpus(1000, seed: 7), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture)));
    Console.WriteLine(result.Row($"paced {args[2]}/s", 0));
    return 0;
}

if (args.Length > 0 && args[0] == "distinct")
{
    // distinct <ingest url with sentry_key> <count> <connections>: every event a new issue (profiling).
    var result = await Load.RunDistinctAsync(args[1], new Corpus(1000, seed: 7), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
    Console.WriteLine($"distinct: {result.Accepted} accepted in {result.Duration.TotalSeconds:0.0} s ({result.Throughput:N0}/s)");
    return 0;
}

var options = BenchOptions.Parse(args);
var root = BenchOptions.FindRoot();
var report = new StringBuilder();
var machine = Machine.Describe();
Console.WriteLine(machine);

var corpus = new Corpus(options.DistinctTraces, seed: 7);
Console.WriteLine($"corpus: {options.DistinctTraces} distinct stack traces, average body {corpus.NextEnvelope().Length / 1024.0:0.0} KiB");
double ceilingPerSecond = double.NaN;
double acceptedPerSecond = double.NaN;
double processedClosedPerSecond = double.NaN;
double pacedP99 = double.NaN;
double pacedThroughput = double.NaN;
long distinctPeakRss = -1;
var costs = new StringBuilder();

// 1. Ceiling: bare Kestrel reading the same bodies.
if (options.Runs("ceiling"))
{
    var load = await Quiet.WaitAsync(options);
    await using var ceiling = await ServerProcess.StartCeilingAsync(root);
    var result = await Load.RunClosedAsync(ceiling.IngestUrl("1", new string('0', 32)), corpus, options.Connections, options.Warmup, options.Duration);
    ceilingPerSecond = result.Throughput;
    report.AppendLine(result.Row("bare Kestrel (ceiling), closed loop", ceiling.PeakRssMb(), load));
    Console.WriteLine(result.Row("ceiling", ceiling.PeakRssMb(), load));
}

// 2. Grains: sustained closed-loop throughput, then processing catch-up.
if (options.Runs("closed"))
{
    var load = await Quiet.WaitAsync(options);
    await using var server = await ServerProcess.StartGrainsAsync(root);
    var before = await server.TotalCountAsync();
    var runtimeBefore = await server.RuntimeAsync();
    var started = Stopwatch.StartNew();
    var result = await Load.RunClosedAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.Warmup, options.Duration);
    var sentAccepted = result.Accepted + result.WarmupAccepted;
    var processedAt = await server.WaitForCountAsync(before + sentAccepted, TimeSpan.FromMinutes(5), started);
    costs.AppendLine((await server.RuntimeAsync()).PerEventRow("closed loop (warm-up + measured window + catch-up)", runtimeBefore, sentAccepted));
    processedClosedPerSecond = sentAccepted / processedAt.TotalSeconds;
    acceptedPerSecond = result.Throughput;
    var processedPerSecond = sentAccepted / processedAt.TotalSeconds;
    report.AppendLine(result.Row("Grains embedded (SQLite), closed loop", server.PeakRssMb(), load));
    report.AppendLine($"| Grains processed (API counts = accepted) | {processedPerSecond:N0}/s over {processedAt.TotalSeconds:0.0} s for {sentAccepted:N0} events | | | | |");
    Console.WriteLine(result.Row("grains", server.PeakRssMb(), load));
    Console.WriteLine($"processed {sentAccepted} in {processedAt.TotalSeconds:0.0}s → {processedPerSecond:N0}/s");

    // 3. Latency at a fixed rate.
    if (options.Runs("paced"))
    {
        var pacedLoad = ProcCpu.LoadAverage();
        var pacedBefore = await server.RuntimeAsync();
        var paced = await Load.RunOpenAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.Rate, options.LatencyDuration);
        costs.AppendLine((await server.RuntimeAsync()).PerEventRow($"open loop at {options.Rate:N0}/s (accepted events; processing may lag)", pacedBefore, paced.Accepted));
        pacedP99 = paced.Percentile(0.99);
        pacedThroughput = paced.Throughput;
        report.AppendLine(paced.Row($"Grains at a fixed {options.Rate:N0} events/s (open loop)", server.PeakRssMb(), pacedLoad));
        Console.WriteLine(paced.Row("paced", server.PeakRssMb(), pacedLoad));
    }
}

// 4. Memory after many distinct issues.
if (options.DistinctIssues > 0 && options.Runs("distinct"))
{
    var load = await Quiet.WaitAsync(options);
    await using var server = await ServerProcess.StartGrainsAsync(root);
    try
    {
        var before = await server.TotalCountAsync();
        var started = Stopwatch.StartNew();
        var result = await Load.RunDistinctAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.DistinctIssues);
        var processedAt = await server.WaitForCountAsync(before + result.Accepted, TimeSpan.FromMinutes(10), started);
        var rss = server.PeakRssMb();
        distinctPeakRss = rss;
        report.AppendLine($"| Grains after {options.DistinctIssues:N0} distinct issues | {result.Throughput:N0}/s accepted ({result.Failed:N0} failed), all processed after {processedAt.TotalSeconds:0.0} s ({result.Accepted / processedAt.TotalSeconds:N0}/s) | | | peak RSS {rss:N0} MB, now {server.CurrentRssMb():N0} MB | {load:0.00} |");
        Console.WriteLine($"distinct issues: {result.Accepted} accepted ({result.Throughput:N0}/s), processed after {processedAt.TotalSeconds:0.0} s, peak RSS {rss} MB");
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
    {
        // The other runs still count; the failure is in the report and its detail on the console.
        report.AppendLine($"| Grains after {options.DistinctIssues:N0} distinct issues | **failed**: {e.Message.Split('\n')[0].Replace("|", "\\|", StringComparison.Ordinal)} | | | peak RSS {server.PeakRssMb():N0} MB | {load:0.00} |");
        Console.WriteLine($"distinct issues failed: {e}\n{server.OutputTail(80)}");
    }
}

// 5. One hot issue: a fixed arrival rate, every event with the same fingerprint.
var hot = new StringBuilder();
if (options.HotRate > 0 && options.Runs("hot"))
{
    var load = await Quiet.WaitAsync(options);
    await using var server = await ServerProcess.StartGrainsAsync(root);
    await StateWriteCounter.InstallAsync(server.DataDirectory);
    var before = await server.TotalCountAsync();
    var writesBefore = await StateWriteCounter.ReadAsync(server.DataDirectory);
    var started = Stopwatch.StartNew();
    var result = await Load.RunOpenOneIssueAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, "bench-hot-issue", options.Connections, options.HotRate, options.HotDuration);
    var loadEnded = started.Elapsed;
    var processedAtLoadEnd = await server.TotalCountAsync() - before;
    var processedAt = await server.WaitForCountAsync(before + result.Accepted, TimeSpan.FromMinutes(10), started);
    var issues = await server.IssueCountAsync();
    var writes = await StateWriteCounter.ReadAsync(server.DataDirectory);
    long Writes(string name) => (writes.TryGetValue(name, out var w) ? w.Writes : 0) - (writesBefore.TryGetValue(name, out var b) ? b.Writes : 0);
    var issueWrites = Writes("issue");
    var allWrites = writes.Keys.Sum(Writes);
    var mostForOne = writes.TryGetValue("issue", out var iw) ? iw.MostForOneGrain : 0;
    hot.AppendLine("| hot issue | value |");
    hot.AppendLine("|---|---|");
    hot.AppendLine($"| offered | {options.HotRate:N0} events/s for {options.HotDuration.TotalSeconds:0} s ({options.HotRate * options.HotDuration.TotalSeconds:N0} events), open loop, {options.Connections} connections, every event fingerprint `bench-hot-issue` |");
    hot.AppendLine($"| accepted | {result.Throughput:N0}/s ({result.Accepted:N0} in {result.Duration.TotalSeconds:0.0} s, {result.Failed:N0} failed) |");
    hot.AppendLine($"| accept latency (from the scheduled send) | p50 {result.Percentile(0.5):0.0} ms, p99 {result.Percentile(0.99):0.0} ms |");
    hot.AppendLine($"| processed | {result.Accepted / processedAt.TotalSeconds:N0}/s (all {result.Accepted:N0} counted {processedAt.TotalSeconds:0.0} s after the start; {processedAtLoadEnd:N0} by the end of the load at {loadEnded.TotalSeconds:0.0} s) |");
    hot.AppendLine($"| issues | {issues:N0} |");
    hot.AppendLine($"| grain-state writes | issue state: {issueWrites:N0} ({(double)issueWrites / result.Accepted:0.0000} per event, {(issueWrites == 0 ? 0 : (double)result.Accepted / issueWrites):N1} events per write; most for one grain {mostForOne:N0}); all states: {allWrites:N0} ({string.Join(", ", writes.Keys.Order().Select(k => $"{k} {Writes(k):N0}"))}) |");
    hot.AppendLine($"| peak RSS | {server.PeakRssMb():N0} MB |");
    hot.AppendLine($"| load average (1 min) at start | {load:0.00} |");
    Console.Write(hot);
}

var ratio = double.IsNaN(ceilingPerSecond) || double.IsNaN(acceptedPerSecond)
    ? ""
    : $"**Ratio Grains / ceiling (accepted/s): {acceptedPerSecond:N0} / {ceilingPerSecond:N0} = {acceptedPerSecond / ceilingPerSecond:0.000}.**";
var generated = $"""
# Ingest benchmark

{machine}
Server build: `{Path.GetRelativePath(root, ServerProcess.ServerDll(root))}` at {Git.Describe(root)}.

Command: `bash bench/run-ingest.sh` ({options.Connections} connections, {options.Duration.TotalSeconds:0} s closed loop after {options.Warmup.TotalSeconds:0} s warm-up,
{options.DistinctTraces:N0} distinct stack traces, JS- and Python-shaped events of about 5 KB, random users/tags/releases).
The load generator runs on the same 2 cores as the server, for the ceiling and for Grains alike. Before each server is started the
bench waits (up to {options.QuietWait.TotalMinutes:0} min) for the 1-minute load average to fall below {options.MaxLoad:0.0}; the last column is the load it measured then.

| run | accepted/s | p50 | p99 | memory | load (1 min) at start |
|---|---|---|---|---|---|
{report}
{ratio}

{(costs.Length > 0 ? "Server costs per event (`/api/0/internal/runtime/` read before and after; CPU of the whole server process, every thread):\n\n" + RuntimeCounters.Header + "\n" + costs : "")}
{Targets.Table(processedClosedPerSecond, options.Duration, pacedP99, pacedThroughput, options.Rate, distinctPeakRss, options.DistinctIssues)}

{(hot.Length > 0 ? "One hot issue (a fresh server; state writes counted exactly by triggers on `grains_grain_state` in its SQLite file, `StateWriteCounter`):\n\n" + hot : "")}
""";
await ResultsFile.WriteAsync(Path.Combine(root, "bench", "results", "ingest.md"), generated, options.Write);
return 0;
