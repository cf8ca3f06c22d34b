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

// 1. Ceiling: bare Kestrel reading the same bodies.
await using (var ceiling = await ServerProcess.StartCeilingAsync(root))
{
    var result = await Load.RunClosedAsync(ceiling.IngestUrl("1", new string('0', 32)), corpus, options.Connections, options.Warmup, options.Duration);
    report.AppendLine(result.Row("bare Kestrel (ceiling), closed loop", ceiling.PeakRssMb()));
    Console.WriteLine(result.Row("ceiling", ceiling.PeakRssMb()));
}

// 2. Grains: sustained closed-loop throughput, then processing catch-up.
double acceptedPerSecond;
await using (var server = await ServerProcess.StartGrainsAsync(root))
{
    var before = await server.TotalCountAsync();
    var started = Stopwatch.StartNew();
    var result = await Load.RunClosedAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.Warmup, options.Duration);
    var sentAccepted = result.Accepted + result.WarmupAccepted;
    var processedAt = await server.WaitForCountAsync(before + sentAccepted, TimeSpan.FromMinutes(5), started);
    acceptedPerSecond = result.Throughput;
    var processedPerSecond = sentAccepted / processedAt.TotalSeconds;
    report.AppendLine(result.Row("Grains embedded (SQLite), closed loop", server.PeakRssMb()));
    report.AppendLine($"| Grains processed (API counts = accepted) | {processedPerSecond:N0}/s over {processedAt.TotalSeconds:0.0} s for {sentAccepted:N0} events | | | |");
    Console.WriteLine(result.Row("grains", server.PeakRssMb()));
    Console.WriteLine($"processed {sentAccepted} in {processedAt.TotalSeconds:0.0}s → {processedPerSecond:N0}/s");

    // 3. Latency at a fixed rate.
    var paced = await Load.RunOpenAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.Rate, options.LatencyDuration);
    report.AppendLine(paced.Row($"Grains at a fixed {options.Rate:N0} events/s (open loop)", server.PeakRssMb()));
    Console.WriteLine(paced.Row("paced", server.PeakRssMb()));
}

// 4. Memory after many distinct issues.
if (options.DistinctIssues > 0)
{
    await using var server = await ServerProcess.StartGrainsAsync(root);
    var before = await server.TotalCountAsync();
    var result = await Load.RunDistinctAsync(server.IngestUrl(server.ProjectId, server.PublicKey), corpus, options.Connections, options.DistinctIssues);
    await server.WaitForCountAsync(before + result.Accepted, TimeSpan.FromMinutes(10), Stopwatch.StartNew());
    var rss = server.PeakRssMb();
    report.AppendLine($"| Grains after {options.DistinctIssues:N0} distinct issues | {result.Throughput:N0}/s accepted | | | peak RSS {rss:N0} MB, now {server.CurrentRssMb():N0} MB |");
    Console.WriteLine($"distinct issues: {result.Accepted} accepted, peak RSS {rss} MB");
}

var markdown = $"""
# Ingest benchmark

{machine}

Command: `bash bench/run-ingest.sh` ({options.Connections} connections, {options.Duration.TotalSeconds:0} s closed loop after {options.Warmup.TotalSeconds:0} s warm-up,
{options.DistinctTraces:N0} distinct stack traces, JS- and Python-shaped events of about 5 KB, random users/tags/releases).
The load generator runs on the same 2 cores as the server, for the ceiling and for Grains alike.

| run | accepted/s | p50 | p99 | memory |
|---|---|---|---|---|
{report}
Ratio Grains / ceiling (accepted/s): see the first two rows.
""";
var output = Path.Combine(root, "bench", "results", "ingest.md");
if (options.Write)
{
    File.WriteAllText(output, markdown);
    Console.WriteLine($"wrote {output}");
}
else
{
    Console.WriteLine(markdown);
}

return 0;
