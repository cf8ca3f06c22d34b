using System.Diagnostics;
using Npgsql;

namespace Grains.IngestBench;

/// <summary>
/// Cluster mode of the ingest bench: one throwaway PostgreSQL, N silo processes of the server build
/// under test (Release unless <c>GRAINS_BENCH_CONFIGURATION</c> says otherwise), the closed loop
/// spread over every silo's public URL, processing measured until the issue counts in the database
/// caught up; per-event CPU (silos, PostgreSQL), WAL and statements; and, in the same run, the
/// PostgreSQL ceiling (binary COPY and multi-row INSERT of the same rows).
/// </summary>
public sealed class ClusterBench(ClusterBenchOptions options, string root)
{
    private const int Partitions = 64;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "grains-cluster-bench", Guid.NewGuid().ToString("N")[..12]);
    private readonly Corpus _corpus = new(options.DistinctTraces, seed: 7);
    private readonly List<SampledStreamRow> _streamSample = [];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ClusterBenchOptions.Parse(args);
        var root = BenchOptions.FindRoot();
        var bench = new ClusterBench(options, root);
        ClusterBenchReport report;
        try
        {
            report = await bench.MeasureAsync();
        }
        finally
        {
            bench.CleanUp();
        }

        var output = Path.Combine(root, options.Output);
        var markdown = ClusterReport.Markdown(options, report, File.Exists(output) ? await File.ReadAllTextAsync(output) : null);
        if (options.Write)
        {
            await File.WriteAllTextAsync(output, markdown);
            Console.WriteLine($"wrote {output}");
        }
        else
        {
            Console.WriteLine(markdown);
        }

        return 0;
    }

    /// <summary>Deletes the databases and silo directories (perf recordings stay).</summary>
    private void CleanUp()
    {
        if (!Directory.Exists(_work))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(_work))
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not delete {dir}: {e.Message}");
            }
        }

        if (!Directory.EnumerateFileSystemEntries(_work).Any())
        {
            Directory.Delete(_work);
        }
    }

    private async Task<ClusterBenchReport> MeasureAsync()
    {
        var started = DateTime.UtcNow;
        var machine = Machine.Describe();
        var loadBefore = ProcCpu.LoadAverage();
        Console.WriteLine(machine);
        Console.WriteLine($"server build: {ServerProcess.ServerDll(root)}; load average {loadBefore:0.00}; work directory {_work}");
        Directory.CreateDirectory(_work);
        var modes = new List<ModeResult>();
        if (options.Sqlite)
        {
            modes.Add(await RunEmbeddedAsync());
        }

        await using var postgres = await ThrowawayPostgres.StartAsync(root, Path.Combine(_work, "pg"));
        var version = await postgres.VersionAsync();
        var settings = string.Join(", ", await Task.WhenAll(
            new[] { "shared_buffers", "synchronous_commit", "wal_compression", "max_wal_size", "checkpoint_timeout", "full_page_writes" }
                .Select(async s => $"{s}={await postgres.ShowAsync(s)}")));
        Console.WriteLine($"{version}: {settings}");
        foreach (var silos in options.Silos)
        {
            modes.Add(await RunClusterAsync(postgres, silos));
        }

        var firstCluster = modes.First(m => m.Silos > 0);
        var sample = await CeilingSample.ReadAsync(postgres, firstCluster.Database!, _streamSample, 2000);
        Console.WriteLine($"ceiling sample: {sample.Stream.Count} stream rows (avg {sample.AverageStreamPayload:N0} B{(sample.StreamFromEvents ? ", rebuilt from events" : "")}), {sample.Events.Count} event rows (avg payload {sample.AverageEventPayload:N0} B, JSON {sample.AverageEventJson:N0} B)");
        await postgres.CreateDatabaseAsync("ceiling");
        var ceiling = new CopyCeiling(postgres, "ceiling", sample);
        var ceilings = new List<CeilingResult>();
        foreach (var writers in new[] { 1, 2, 4 })
        {
            ceilings.Add(Log(await ceiling.CopyAsync(writers, 500, options.CeilingDuration)));
        }

        ceilings.Add(Log(await ceiling.InsertAsync(2, 500, 100, options.CeilingDuration)));
        return new ClusterBenchReport(machine, started, loadBefore, ProcCpu.LoadAverage(), version, settings, ServerProcess.ServerDll(root), modes, ceilings, sample);

        static CeilingResult Log(CeilingResult r)
        {
            Console.WriteLine($"ceiling {r.Name}: {r.EventsPerSecond:N0} events/s, PG CPU {r.Cost.CpuSeconds * 1e6 / r.Events:N0} µs/event, WAL {(double)r.Cost.WalLsn / r.Events:N0} B/event");
            return r;
        }
    }

    private async Task<ModeResult> RunEmbeddedAsync()
    {
        Console.WriteLine("embedded (SQLite): starting");
        await using var server = await ServerProcess.StartGrainsAsync(root);
        var urls = new[] { server.IngestUrl(server.ProjectId, server.PublicKey) };
        var window = await MeasureWindowAsync("embedded (SQLite)", urls, server.TotalCountAsync, [server], postgres: null, database: null, sampleStream: false);
        return window with { PeakRssMb = [server.PeakRssMb()] };
    }

    private async Task<ModeResult> RunClusterAsync(ThrowawayPostgres postgres, int count)
    {
        var database = $"grains_n{count}";
        await postgres.CreateDatabaseAsync(database);
        var token = "bench-admin-" + Guid.NewGuid().ToString("N");
        var extra = options.PerfSeconds > 0
            ? new[] { new KeyValuePair<string, string?>("DOTNET_PerfMapEnabled", "1"), new("DOTNET_EnableWriteXorExecute", "0") }
            : [];
        SiloSettings Settings(int i) => new(ServerProcess.FreePort(), ServerProcess.FreePort(), Path.Combine(_work, $"n{count}", $"silo{i}"), SiloConnectionString(postgres, database), token);

        Console.WriteLine($"cluster of {count}: starting silos");
        var silos = new List<ServerProcess>();
        try
        {
            // The first silo migrates and seeds; the others join it together.
            silos.Add(await ServerProcess.StartSiloAsync(root, Settings(1), extra));
            silos.AddRange(await Task.WhenAll(Enumerable.Range(2, count - 1).Select(i => ServerProcess.StartSiloAsync(root, Settings(i), extra))));
            var owners = await WaitBalancedAsync(postgres, database, silos);
            var (projectId, key) = await silos[0].FirstKeyAsync();
            var urls = silos.Select(s => s.IngestUrl(projectId, key)).ToArray();
            await using var counter = await postgres.OpenAsync(database);
            async Task<long> Processed()
            {
                await using var command = new NpgsqlCommand("SELECT coalesce(sum(times_seen), 0)::bigint FROM issues", counter);
                return (long)(await command.ExecuteScalarAsync())!;
            }

            var result = await MeasureWindowAsync($"cluster, {count} silo{(count == 1 ? "" : "s")}", urls, Processed, silos, postgres, database, sampleStream: _streamSample.Count == 0);
            long stored;
            await using (var command = new NpgsqlCommand("SELECT count(*) FROM events", counter))
            {
                stored = (long)(await command.ExecuteScalarAsync())!;
            }

            return result with
            {
                Silos = count,
                Database = database,
                EventsStored = stored,
                PartitionsPerSilo = owners,
                PeakRssMb = [.. silos.Select(s => s.PeakRssMb())],
            };
        }
        finally
        {
            await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
            NpgsqlConnection.ClearAllPools();
        }
    }

    private string SiloConnectionString(ThrowawayPostgres postgres, string database) =>
        options.ConnectionOptions.Length == 0 ? postgres.ConnectionString(database) : postgres.ConnectionString(database) + ";" + options.ConnectionOptions;

    /// <summary>
    /// Waits until Orleans' membership table lists every silo as active and the stream queues are
    /// spread: every partition read by exactly one silo and every silo reading some (from the
    /// receivers' log lines), stable for 2 s; returns the partitions per silo, most first. Orleans'
    /// ring balancer moves queues when membership changes, without a table to read.
    /// </summary>
    internal static async Task<int[]> WaitBalancedAsync(ThrowawayPostgres postgres, string database, IReadOnlyList<ServerProcess> silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        await using var connection = await postgres.OpenAsync(database);
        string? stableSince = null;
        var stableClock = Stopwatch.StartNew();
        while (true)
        {
            int active;
            await using (var command = new NpgsqlCommand($"SELECT count(*)::int FROM {LogTables.Membership} WHERE status = {LogTables.ActiveStatus}", connection))
            {
                active = (int)(await command.ExecuteScalarAsync())!;
            }

            var owned = silos.Select(s => s.OwnedPartitions()).ToArray();
            var counts = owned.Select(o => o.Count).OrderDescending().ToArray();
            var distinct = owned.SelectMany(o => o).Distinct().Count();
            var balanced = active == silos.Count && distinct == Partitions && counts.Sum() == Partitions && counts.All(c => c > 0);
            var shape = $"{active} active; [{string.Join(", ", counts)}]";
            if (balanced)
            {
                if (stableSince != shape)
                {
                    stableSince = shape;
                    stableClock.Restart();
                }
                else if (stableClock.Elapsed >= TimeSpan.FromSeconds(2))
                {
                    Console.WriteLine($"balanced: {shape}");
                    return counts;
                }
            }
            else
            {
                stableSince = null;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"queues never balanced over {silos.Count} silos: {shape}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Warm-up (then drained), idle baseline, measured closed loop, drain; costs over the measured window.</summary>
    private async Task<ModeResult> MeasureWindowAsync(string mode, IReadOnlyList<string> urls, Func<Task<long>> processed, IReadOnlyList<ServerProcess> silos, ThrowawayPostgres? postgres, string? database, bool sampleStream)
    {
        double SilosCpu() => silos.Sum(s => s.CpuSeconds());
        double PgCpu() => postgres is null ? 0 : ProcCpu.TreeSeconds(postgres.PostmasterPid);
        static double SelfCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

        // 1. Warm-up, drained before anything is measured.
        var start = await processed();
        var warmTask = Load.RunClosedAsync(urls, _corpus, options.Connections, TimeSpan.Zero, options.Warmup);
        while (!warmTask.IsCompleted)
        {
            // Real stream rows for the ceiling, read before the agents trim them (outside the measured window).
            await Task.WhenAny(warmTask, Task.Delay(500));
            if (sampleStream && postgres is not null)
            {
                await CeilingSample.SampleStreamAsync(postgres, database!, _streamSample, 2000);
            }
        }

        var warm = await warmTask;
        var warmDrain = Stopwatch.StartNew();
        await WaitProcessedAsync(processed, start + warm.Accepted, warmDrain);
        Console.WriteLine($"{mode}: warm-up {warm.Throughput:N0}/s accepted, drained {warmDrain.Elapsed.TotalSeconds:0.0} s after");

        // 2. Idle baseline: joined, no load (pulling agents polling, membership probes and table refreshes), after the warm-up's
        // background work (tier-1 compilation, GC) settled.
        await Task.Delay(3000);
        var idleSilos = SilosCpu();
        var idlePg = PgCpu();
        if (postgres is not null)
        {
            await postgres.ResetStatementsAsync();
        }

        var idleStats = postgres is null ? null : await postgres.SnapshotAsync(database!);
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(options.Idle);
        var idle = new IdleBaseline(
            idleClock.Elapsed,
            (SilosCpu() - idleSilos) / idleClock.Elapsed.TotalSeconds,
            (PgCpu() - idlePg) / idleClock.Elapsed.TotalSeconds,
            postgres is null ? null : (await postgres.SnapshotAsync(database!)).Minus(idleStats!),
            postgres is null ? [] : await postgres.StatementsAsync(database!));

        // 3. The measured window: closed loop, then until processing caught up.
        if (postgres is not null)
        {
            await postgres.ResetStatementsAsync();
        }

        var before = await processed();
        var pgBefore = postgres is null ? null : await postgres.SnapshotAsync(database!);
        var silosBefore = SilosCpu();
        var selfBefore = SelfCpu();
        var machineBefore = ProcCpu.Machine();
        var clock = Stopwatch.StartNew();
        var loadTask = Load.RunClosedAsync(urls, _corpus, options.Connections, TimeSpan.Zero, options.Duration);
        var perf = options.PerfSeconds > 0 && postgres is not null ? StartPerf(mode, silos, postgres) : null;
        var progress = new List<(double Seconds, long Processed)>();
        var waits = new Dictionary<string, int>();
        var waitSamples = 0;
        await using var waitConnection = postgres is null ? null : await postgres.OpenAsync(database!);
        var nextProgress = TimeSpan.FromSeconds(1);
        while (!loadTask.IsCompleted)
        {
            // What PostgreSQL's busy backends wait on, 5 times a second; the processed count once a second.
            await Task.WhenAny(loadTask, Task.Delay(200));
            if (waitConnection is not null)
            {
                await ThrowawayPostgres.SampleWaitsAsync(waitConnection, database!, waits);
                waitSamples++;
            }

            if (clock.Elapsed >= nextProgress)
            {
                progress.Add((clock.Elapsed.TotalSeconds, await processed() - before));
                nextProgress += TimeSpan.FromSeconds(1);
            }
        }

        var load = await loadTask;
        var loadEnd = clock.Elapsed;
        var processedAtLoadEnd = await processed() - before;
        var target = before + load.Accepted;
        await WaitProcessedAsync(processed, target, clock);
        var drained = clock.Elapsed;
        var silosCpu = SilosCpu() - silosBefore;
        var pgCpu = PgCpu() - (pgBefore?.CpuSeconds ?? 0);
        var selfCpu = SelfCpu() - selfBefore;
        var machineAfter = ProcCpu.Machine();
        if (perf is not null)
        {
            await perf.WaitForExitAsync();
        }

        PostgresSnapshot? pgCost = null;
        IReadOnlyList<StatementStats> statements = [];
        if (postgres is not null)
        {
            // Backends publish their counters at most once a second; the CPU and WAL position above are exact.
            var lsn = (await postgres.SnapshotAsync(database!)).WalLsn;
            await Task.Delay(1500);
            pgCost = (await postgres.SnapshotAsync(database!)).Minus(pgBefore!) with { CpuSeconds = pgCpu, WalLsn = lsn - pgBefore!.WalLsn };
            statements = await postgres.StatementsAsync(database!);
        }

        var processedPerSecond = load.Accepted / drained.TotalSeconds;
        Console.WriteLine($"{mode}: {load.Throughput:N0}/s accepted (p50 {load.Percentile(0.5):0.0} ms, p99 {load.Percentile(0.99):0.0} ms, {load.Failed} failed), " +
            $"processed {processedPerSecond:N0}/s ({load.Accepted:N0} in {drained.TotalSeconds:0.0} s, drained {(drained - loadEnd).TotalSeconds:0.0} s after the load), " +
            $"silo CPU {silosCpu * 1e6 / load.Accepted:N0} µs/event, PG CPU {pgCpu * 1e6 / load.Accepted:N0} µs/event, WAL {(pgCost is null ? 0 : (double)pgCost.WalLsn / load.Accepted):N0} B/event");
        return new ModeResult(mode)
        {
            Load = load,
            WarmupAccepted = warm.Accepted,
            LoadSeconds = loadEnd.TotalSeconds,
            DrainedSeconds = drained.TotalSeconds,
            ProcessedDuringLoad = processedAtLoadEnd,
            Progress = progress,
            SilosCpuSeconds = silosCpu,
            PostgresCpuSeconds = pgCpu,
            GeneratorCpuSeconds = selfCpu,
            MachineBusySeconds = machineAfter.Busy - machineBefore.Busy,
            MachineTotalSeconds = machineAfter.Total - machineBefore.Total,
            Postgres = pgCost,
            Statements = statements,
            Idle = idle,
            Waits = waits,
            WaitSamples = waitSamples,
            EventsStored = -1,
        };
    }

    private static async Task WaitProcessedAsync(Func<Task<long>> processed, long target, Stopwatch clock)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        long last;
        while ((last = await processed()) < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"processing stopped at {last:N0} of {target:N0} after {clock.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(200);
        }
    }

    private Process? StartPerf(string mode, IReadOnlyList<ServerProcess> silos, ThrowawayPostgres postgres)
    {
        var pids = silos.Select(s => s.Pid).Append(postgres.PostmasterPid).Concat(ProcCpu.ChildrenOf(postgres.PostmasterPid));
        var output = Path.Combine(_work, $"perf-{silos.Count}.data");
        var info = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "record", "-e", "cpu-clock", "-F", "499", "-g", "-o", output, "-p", string.Join(',', pids), "--", "sleep", options.PerfSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        Console.WriteLine($"{mode}: perf record → {output}");
        return Process.Start(info);
    }
}
