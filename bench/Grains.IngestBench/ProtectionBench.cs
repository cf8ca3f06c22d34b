using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Grains.IngestBench;

/// <summary>
/// Protection mode of the ingest bench (issue 11): one tenant floods, another sends a steady rate, and
/// the bench reports what the steady tenant feels. Tenant A is the default project, its DSN key limited
/// through Sentry's key API (<c>rateLimit</c>); tenant B is a second project with its own DSN. In one
/// run: B alone (baseline), B under A's flood (A's closed loop as fast as the load generator goes),
/// then A's flood alone, whose answers are mostly 429s: the cost of a rejected request beside the bare
/// Kestrel ceiling. The embedded server first, then the same on a cluster on PostgreSQL.
/// </summary>
public sealed class ProtectionBench(ProtectionBenchOptions options, string root)
{
    private const string TenantB = "tenant-b";
    private readonly Corpus _corpus = new(1000, seed: 7);
    private readonly StringBuilder _rows = new();
    private readonly StringBuilder _costRows = new();
    private readonly List<string> _verdicts = [];
    private readonly string _work = Path.Combine(Path.GetTempPath(), "grains-protection-bench", Guid.NewGuid().ToString("N")[..12]);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ProtectionBenchOptions.Parse(args);
        var bench = new ProtectionBench(options, BenchOptions.FindRoot());
        var markdown = await bench.MeasureAsync();
        await ResultsFile.WriteAsync(Path.Combine(bench.Root, options.Output), markdown, options.Write);
        return 0;
    }

    private string Root => root;

    private async Task<string> MeasureAsync()
    {
        var machine = Machine.Describe();
        var loadBefore = ProcCpu.LoadAverage();
        Console.WriteLine(machine);
        var flood = TimeSpan.FromSeconds(Math.Max(5, options.Duration.TotalSeconds / 2));

        // The ceiling: bare Kestrel reading the same bodies and answering 200, flooded the same way.
        double ceiling;
        await using (var kestrel = await ServerProcess.StartCeilingAsync(root))
        {
            var result = await FloodAsync([kestrel.IngestUrl("1", new string('0', 32))], flood);
            ceiling = result.AnsweredPerSecond;
            _costRows.AppendLine($"| bare Kestrel (reads the body, answers 200) | {ceiling:N0} requests/s | 1.00 |");
            Console.WriteLine($"ceiling: {ceiling:N0} requests/s");
        }

        await using (var server = await ServerProcess.StartGrainsAsync(root))
        {
            await MeasureModeAsync("embedded (SQLite)", [server], () => server.CpuSeconds(), ceiling, flood);
        }

        if (options.Silos > 0)
        {
            Directory.CreateDirectory(_work);
            try
            {
                await using var postgres = await ThrowawayPostgres.StartAsync(root, Path.Combine(_work, "pg"));
                await postgres.CreateDatabaseAsync("protection");
                var token = "bench-admin-" + Guid.NewGuid().ToString("N");
                SiloSettings Settings(int i) => new(ServerProcess.FreePort(), ServerProcess.FreePort(), Path.Combine(_work, $"silo{i}"), postgres.ConnectionString("protection"), token);
                var silos = new List<ServerProcess>();
                try
                {
                    silos.Add(await ServerProcess.StartSiloAsync(root, Settings(1)));
                    silos.AddRange(await Task.WhenAll(Enumerable.Range(2, options.Silos - 1).Select(i => ServerProcess.StartSiloAsync(root, Settings(i)))));
                    await ClusterBench.WaitBalancedAsync(postgres, "protection", silos);
                    await silos[0].FirstKeyAsync();
                    var postmaster = postgres.PostmasterPid;
                    await MeasureModeAsync($"cluster, {options.Silos} silos on PostgreSQL", silos, () => silos.Sum(s => s.CpuSeconds()) + ProcCpu.TreeSeconds(postmaster), ceiling, flood);
                }
                finally
                {
                    await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
                    Npgsql.NpgsqlConnection.ClearAllPools();
                }
            }
            finally
            {
                try
                {
                    Directory.Delete(_work, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"could not delete {_work}: {e.Message}");
                }
            }
        }

        return $"""
            # Protection benchmark

            {machine}
            Server build: `{Path.GetRelativePath(root, ServerProcess.ServerDll(root))}` at {Git.Describe(root)}; load average {loadBefore:0.00} before, {ProcCpu.LoadAverage():0.00} after.

            Command: `bash bench/run-protection.sh` (`Grains.IngestBench protection`). Tenant A is the default project, its DSN key
            limited to {options.FloodLimit:N0} events per 60 s through Sentry's key API (`PUT .../keys/{"{key_id}"}/` with `rateLimit`); it
            floods with a closed loop of {options.FloodConnections} connections, as fast as the load generator goes. Tenant B is a second
            project with its own DSN, sending {options.Rate} events/s in an open loop (latency counted from the scheduled send, so
            queueing is not hidden). Both send the same realistic envelopes of about 5 KB. Each phase runs {options.Duration.TotalSeconds:0} s; the
            load generator shares the cores with the server. "B lost" = B's events not answered 200 plus answered ones the API
            never counted (waited for up to 2 min after the run). Server CPU is in cores (CPU seconds / wall seconds) of the
            server processes (and PostgreSQL in the cluster).

            | mode | phase | B accepted | B p50 | B p99 | B lost | A answered/s | A 429 | A 200 | server CPU |
            |---|---|---|---|---|---|---|---|---|---|
            {_rows.ToString().TrimEnd()}

            {string.Join("\n", _verdicts)}

            The cost of a rejected request: tenant A's flood alone ({flood.TotalSeconds:0} s), answered almost only with 429s
            beside bare Kestrel. A key quota covers the error categories, and an envelope's categories are known only once
            its item headers are split, so the edge reads the body and splits the envelope before it answers 429 (no
            payload parsing, grain call or store write); a store request, or a quota on every category, is answered
            before the body is read.

            | server | requests/s | ratio to the ceiling |
            |---|---|---|
            {_costRows.ToString().TrimEnd()}
            """;
    }

    private async Task MeasureModeAsync(string mode, IReadOnlyList<ServerProcess> silos, Func<double> cpuSeconds, double ceiling, TimeSpan flood)
    {
        var api = silos[0];
        Console.WriteLine($"{mode}: setting up tenants");
        await api.ApiAsync(HttpMethod.Post, "/api/0/organizations/default/projects/", $$"""{"name":"{{TenantB}}","slug":"{{TenantB}}"}""");
        var a = await KeyAsync(api, "default");
        var b = await KeyAsync(api, TenantB);
        await api.ApiAsync(HttpMethod.Put, $"/api/0/projects/default/default/keys/{a.KeyId}/", $$$"""{"rateLimit":{"window":60,"count":{{{options.FloodLimit}}}}}""");
        var aUrls = silos.Select(s => s.IngestUrl(a.ProjectId, a.PublicKey)).ToArray();
        var bUrls = silos.Select(s => s.IngestUrl(b.ProjectId, b.PublicKey)).ToArray();

        // Warm-up: both tenants' paths JIT-compiled and their first issues created before anything is measured.
        await Load.RunOpenAsync(bUrls, _corpus, 16, options.Rate, TimeSpan.FromSeconds(5));
        await FloodAsync(aUrls, TimeSpan.FromSeconds(3));
        var warmB = await api.TotalCountAsync(TenantB);

        var clock = Stopwatch.StartNew();
        var cpu = cpuSeconds();
        var alone = await Load.RunOpenAsync(bUrls, _corpus, 16, options.Rate, options.Duration);
        var aloneCpu = (cpuSeconds() - cpu) / alone.Duration.TotalSeconds;
        Console.WriteLine($"{mode}: B alone p50 {alone.Percentile(0.5):0.0} ms p99 {alone.Percentile(0.99):0.0} ms, {alone.Failed} failed");

        // The flood starts first and outlasts B's phase (its process needs a moment to start and connect).
        cpu = cpuSeconds();
        var flooding = FloodProcess.StartAsync(aUrls, options.FloodConnections, options.Duration + TimeSpan.FromSeconds(4));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var under = await Load.RunOpenAsync(bUrls, _corpus, 16, options.Rate, options.Duration);
        var underCpu = (cpuSeconds() - cpu) / (under.Duration.TotalSeconds + 2);
        var aFlood = await flooding;
        Console.WriteLine($"{mode}: B under flood p50 {under.Percentile(0.5):0.0} ms p99 {under.Percentile(0.99):0.0} ms, {under.Failed} failed; A {aFlood.AnsweredPerSecond:N0}/s, {aFlood.Limited} 429, {aFlood.Ok} 200, {aFlood.Other} other");

        var accepted = alone.Accepted + under.Accepted;
        long processed;
        try
        {
            await api.WaitForCountAsync(TenantB, warmB + accepted, TimeSpan.FromMinutes(2), clock);
            processed = accepted;
        }
        catch (TimeoutException)
        {
            processed = await api.TotalCountAsync(TenantB) - warmB;
        }

        var lostAlone = alone.Failed;
        var lostUnder = under.Failed + (accepted - processed);
        _rows.AppendLine($"| {mode} | B alone | {alone.Accepted:N0} of {alone.Accepted + alone.Failed:N0} | {alone.Percentile(0.5):0.0} ms | {alone.Percentile(0.99):0.0} ms | {lostAlone:N0} | – | – | – | {aloneCpu:0.00} |");
        _rows.AppendLine($"| {mode} | B under A's flood | {under.Accepted:N0} of {under.Accepted + under.Failed:N0} | {under.Percentile(0.5):0.0} ms | {under.Percentile(0.99):0.0} ms | {lostUnder:N0} | {aFlood.AnsweredPerSecond:N0}/s | {aFlood.Limited:N0} ({aFlood.LimitedPerSecond:N0}/s) | {aFlood.Ok:N0} | {underCpu:0.00} |");
        var ratio = under.Percentile(0.99) / alone.Percentile(0.99);
        _verdicts.Add($"**{mode}: B's p99 under the flood / alone = {under.Percentile(0.99):0.0} / {alone.Percentile(0.99):0.0} ms = {ratio:0.00} (target ≤ 2: {(ratio <= 2 ? "met" : "missed")}); B lost {lostAlone + lostUnder:N0} (target 0: {(lostAlone + lostUnder == 0 ? "met" : "missed")}).**");

        var rejected = await FloodAsync(aUrls, flood);
        _costRows.AppendLine($"| Grains {mode}, tenant A over its quota ({rejected.Limited:N0} × 429, {rejected.Ok:N0} × 200, {rejected.Other:N0} other) | {rejected.AnsweredPerSecond:N0} requests/s | {rejected.AnsweredPerSecond / ceiling:0.00} |");
        Console.WriteLine($"{mode}: 429 flood {rejected.AnsweredPerSecond:N0} requests/s ({rejected.Limited} 429, {rejected.Ok} 200)");
    }

    private Task<FloodResult> FloodAsync(IReadOnlyList<string> urls, TimeSpan duration) =>
        FloodProcess.StartAsync(urls, options.FloodConnections, duration);

    private static async Task<(string ProjectId, string PublicKey, string KeyId)> KeyAsync(ServerProcess api, string project)
    {
        var keys = await api.ApiAsync(HttpMethod.Get, $"/api/0/projects/default/{project}/keys/");
        var key = keys[0];
        return (key.GetProperty("projectId").GetRawText().Trim('"'), key.GetProperty("public").GetString()!, key.GetProperty("id").GetString()!);
    }
}
