using System.Globalization;
using System.Text;

namespace Grains.IngestBench;

/// <summary>
/// bench/results/cluster.md: the table against the COPY ceiling, the per-event costs, and the
/// scaling estimate derived from them. Hand-written notes after <see cref="NotesMarker"/> in the
/// existing file are kept when it is regenerated.
/// </summary>
public static class ClusterReport
{
    public const string NotesMarker = "<!-- notes: hand-written below this line, kept when the file is regenerated -->";

    // Assumptions of the scaling estimate (stated in the report).
    private const int PostgresCores = 8;
    private const double PostgresUsableShare = 0.75;
    private const double WalDiskBytesPerSecond = 200e6;

    public static string Markdown(ClusterBenchOptions options, ClusterBenchReport r, string? existing = null)
    {
        var md = new StringBuilder();
        var copy = r.BestCopy;
        md.AppendLine("# Cluster ingest benchmark (PostgreSQL)");
        md.AppendLine();
        md.AppendLine(r.Machine);
        md.AppendLine(Invariant($"Load average (1 min) {r.LoadAverageBefore:0.00} when the measurement started, {r.LoadAverageAfter:0.00} at its end (the run's own threads count in it; the \"other CPU\" column below is the interference from outside the run); started {r.Started:yyyy-MM-dd HH:mm} UTC."));
        md.AppendLine(Invariant($"{r.PostgresVersion} (throwaway, loopback, `eng/pg-throwaway.sh`, pg_stat_statements loaded): {r.PostgresSettings}."));
        md.AppendLine(Invariant($"Server build: `{Path.GetRelativePath(BenchOptions.FindRoot(), r.ServerBuild)}`{(options.ConnectionOptions.Length > 0 ? $"; silo connection string + `{options.ConnectionOptions}`" : "")}."));
        md.AppendLine();
        md.AppendLine(Invariant($"Command: `bash bench/run-cluster.sh` ({options.Connections} connections spread over the silos' public URLs, closed loop; per mode a {options.Warmup.TotalSeconds:0} s warm-up that is drained first, a {options.Idle.TotalSeconds:0} s idle baseline, then a measured {options.Duration.TotalSeconds:0} s load;"));
        md.AppendLine(Invariant($"{options.DistinctTraces:N0} distinct stack traces, JS- and Python-shaped events of about 5 KB, the corpus of `run-ingest.sh`). **Everything shares the same 2 cores**: the load generator,"));
        md.AppendLine("PostgreSQL and every silo. Three silos on two cores compete for the same CPU, so N=3 here measures the cost of clustering (more processes, cross-silo");
        md.AppendLine("calls, more pollers), not the gain of more machines; the gain is estimated below from per-event costs.");
        md.AppendLine();
        md.AppendLine("Processed = the issue counts in the database (`sum(times_seen)`, written by the issue grains after the event rows) caught up with the accepted");
        md.AppendLine("events of the window; processed/s = accepted events / seconds from the start of the load until then. Ratio = against the best binary COPY ceiling below.");
        md.AppendLine();
        md.AppendLine("| mode | silos | accepted/s | processed/s | processed during load | drain after load | p50 | p99 | ratio accepted / COPY | ratio processed / COPY |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in r.Modes)
        {
            md.AppendLine(Invariant($"| {m.Mode} | {(m.Silos == 0 ? "1 (embedded)" : m.Silos.ToString(CultureInfo.InvariantCulture))} | {m.AcceptedPerSecond:N0}/s ({m.Events:N0} in {m.Load.Duration.TotalSeconds:0} s, {m.Load.Failed} failed) | {m.ProcessedPerSecond:N0}/s | {m.ProcessedDuringLoadPerSecond:N0}/s | {m.DrainAfterLoadSeconds:0.0} s | {m.Load.Percentile(0.5):0.0} ms | {m.Load.Percentile(0.99):0.0} ms | {m.AcceptedPerSecond / copy.EventsPerSecond:0.000} | {m.ProcessedPerSecond / copy.EventsPerSecond:0.000} |"));
        }

        foreach (var c in r.Ceilings)
        {
            md.AppendLine(Invariant($"| ceiling: {c.Name} | — | {c.EventsPerSecond:N0} events/s ({c.Events:N0} in {c.Elapsed.TotalSeconds:0.0} s) | | | | | | {c.EventsPerSecond / copy.EventsPerSecond:0.000} | |"));
        }

        md.AppendLine();
        foreach (var m in r.Modes.Where(m => m.EventsStored >= 0))
        {
            var expected = m.WarmupAccepted + m.Events;
            md.AppendLine(Invariant($"Check, {m.Mode}: {m.EventsStored:N0} rows in the event store at the end for {expected:N0} accepted (warm-up {m.WarmupAccepted:N0} + window {m.Events:N0}){(m.EventsStored == expected ? "" : " — MISMATCH")}."));
        }

        md.AppendLine();
        md.AppendLine(Invariant($"Ceiling rows: per event one stream row (payload {r.Sample.AverageStreamPayload:N0} B on average{(r.Sample.StreamFromEvents ? ", rebuilt from event rows" : ", real stream payloads sampled during the N=" + r.Modes.First(m => m.Silos > 0).Silos + " warm-up")}) and one event-store row"));
        md.AppendLine(Invariant($"(Brotli payload {r.Sample.AverageEventPayload:N0} B for {r.Sample.AverageEventJson:N0} B of JSON; {r.Sample.Events.Count:N0} real rows replayed with fresh keys) into tables with the same columns, keys,"));
        md.AppendLine($"index and collation as `{LogTables.Log}` and `events`; 500 events per transaction. It leaves out what the server also writes (stream head");
        md.AppendLine("counter, trim of the stream, issue summary / tag / hourly upserts, grain state, checkpoints) and every read, so it is an upper bound for the");
        md.AppendLine("storage path, not a target the server can reach. Ceiling costs:");
        md.AppendLine();
        md.AppendLine("| ceiling | events/s | PostgreSQL CPU/event | WAL/event | commits/event | client CPU/event |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in r.Ceilings)
        {
            md.AppendLine(Invariant($"| {c.Name} | {c.EventsPerSecond:N0} | {c.Cost.CpuSeconds * 1e6 / c.Events:N0} µs | {(double)c.Cost.WalLsn / c.Events:N0} B | {(double)c.Cost.Commits / c.Events:0.000} | {c.ClientCpuSeconds * 1e6 / c.Events:N0} µs |"));
        }

        md.AppendLine();
        AppendTargets(md, r.Modes.FirstOrDefault(m => m.Silos == 1));
        md.AppendLine();
        md.AppendLine("## Per-event cost (measured window: load + drain)");
        md.AppendLine();
        md.AppendLine("CPU from /proc (utime + stime): the silo processes; PostgreSQL = the postmaster and all its children (backends, WAL writer,");
        md.AppendLine("checkpointer, autovacuum; exited children through cutime). \"net\" subtracts the idle baseline's rate over the window. WAL = `pg_current_wal_lsn()`");
        md.AppendLine("difference; records, full-page images, commits and tuples from `pg_stat_wal` / `pg_stat_database` of the run's database.");
        md.AppendLine();
        md.AppendLine("| mode | window | silo CPU/event (net of idle) | PostgreSQL CPU/event (net of idle) | generator CPU/event | other CPU on the machine | WAL/event | WAL records/event | FPI/event | commits/event (≈ writing) | WAL syncs/event | tuples ins/upd/del per event | statements/event (stream polls) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in r.Modes)
        {
            var idleSilo = m.Idle is null ? 0 : m.Idle.SilosCpuPerSecond * m.DrainedSeconds;
            var idlePg = m.Idle is null ? 0 : m.Idle.PostgresCpuPerSecond * m.DrainedSeconds;
            var p = m.Postgres;
            var statements = m.Statements.Where(s => !IsBenchQuery(s)).Sum(s => s.Calls);
            var polls = m.Statements.Where(IsStreamPoll).Sum(s => s.Calls);
            // Every SELECT outside an explicit transaction commits on its own: commits minus SELECT calls ≈ writing transactions.
            var selects = m.Statements.Where(s => s.Query.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)).Sum(s => s.Calls);
            var cells = new List<string>
            {
                m.Mode,
                $"{m.DrainedSeconds:0.0} s",
                $"{m.PerEventMicroseconds(m.SilosCpuSeconds):N0} µs ({Net(m.PerEventMicroseconds(m.SilosCpuSeconds - idleSilo))})",
                p is null ? "—" : $"{m.PerEventMicroseconds(m.PostgresCpuSeconds):N0} µs ({Net(m.PerEventMicroseconds(m.PostgresCpuSeconds - idlePg))})",
                $"{m.PerEventMicroseconds(m.GeneratorCpuSeconds):N0} µs",
                $"{m.OtherCpuSeconds:0.0} s of {m.MachineTotalSeconds:0.0} s",
            };
            cells.AddRange(p is null
                ? ["—", "—", "—", "—", "—", "—", "—"]
                : [
                    $"{(double)p.WalLsn / m.Events:N0} B",
                    $"{(double)p.WalRecords / m.Events:0.0}",
                    $"{(double)p.WalFullPageImages / m.Events:0.00}",
                    $"{(double)p.Commits / m.Events:0.00} ({Math.Max(0, p.Commits - selects) / (double)m.Events:0.00})",
                    $"{(double)p.WalSyncs / m.Events:0.000}",
                    $"{(double)p.TuplesInserted / m.Events:0.0} / {(double)p.TuplesUpdated / m.Events:0.0} / {(double)p.TuplesDeleted / m.Events:0.0}",
                    $"{(double)statements / m.Events:0.00} ({(double)polls / m.Events:0.00})",
                ]);
            md.AppendLine("| " + string.Join(" | ", cells) + " |");
        }

        md.AppendLine();
        foreach (var m in r.Modes.Where(m => m.Idle is not null))
        {
            var i = m.Idle!;
            md.AppendLine(Invariant($"Idle baseline, {m.Mode}: silos {i.SilosCpuPerSecond * 100:0.0} % of a core, PostgreSQL {i.PostgresCpuPerSecond * 100:0.0} %") +
                (i.Postgres is { } ip ? Invariant($", {ip.Commits / i.Window.TotalSeconds:N0} transactions/s, {ip.WalLsn / i.Window.TotalSeconds / 1024:N1} KiB/s WAL") : "") +
                (m.PartitionsPerSilo.Count > 0 ? Invariant($"; stream queues per silo [{string.Join(", ", m.PartitionsPerSilo)}]") : "") +
                Invariant($"; peak RSS per silo [{string.Join(", ", m.PeakRssMb.Select(x => x + " MB"))}].") +
                (i.Statements.Count > 0
                    ? " Idle statements/s: " + string.Join("; ", i.Statements.Where(s => !IsBenchQuery(s)).OrderByDescending(s => s.Calls).Take(4)
                        .Select(s => Invariant($"`{Shorten(s.Query, 50)}` {s.Calls / i.Window.TotalSeconds:N0}"))) + "."
                    : ""));
            md.AppendLine();
        }

        foreach (var m in r.Modes.Where(m => m.WaitSamples > 0))
        {
            md.AppendLine(Invariant($"PostgreSQL backends in a statement or a transaction during the load, {m.Mode} (pg_stat_activity, {m.WaitSamples} samples; average number of backends per sample in each wait event or state): ") +
                string.Join("; ", m.Waits.OrderByDescending(w => w.Value).Select(w => Invariant($"{w.Key} {(double)w.Value / m.WaitSamples:0.00}"))) + ".");
            md.AppendLine();
        }

        foreach (var m in r.Modes.Where(m => m.Statements.Count > 0))
        {
            md.AppendLine(Invariant($"Statements of the window, {m.Mode} (pg_stat_statements, the bench's own queries left out; per accepted event; each call is one round trip unless batched; exec time is wall time in the server, lock waits included; utility statements such as the pool's DISCARD ALL are not tracked):"));
            md.AppendLine();
            md.AppendLine("| statement | calls/event | rows/call | exec time/event | WAL/event |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var s in m.Statements.Where(s => s.Calls > 0 && !IsBenchQuery(s)).OrderByDescending(s => s.TotalMs).Take(12))
            {
                md.AppendLine(Invariant($"| `{Shorten(s.Query)}` | {(double)s.Calls / m.Events:0.000} | {(double)s.Rows / s.Calls:0.0} | {s.TotalMs * 1000 / m.Events:N0} µs | {(double)s.WalBytes / m.Events:N0} B |"));
            }

            md.AppendLine();
        }

        AppendScaling(md, r);
        if (existing is not null && existing.IndexOf(NotesMarker, StringComparison.Ordinal) is var at and >= 0)
        {
            md.AppendLine(existing[at..].TrimEnd());
        }
        else
        {
            md.AppendLine(NotesMarker);
        }

        return md.ToString();
    }

    /// <summary>The cluster targets of issue 14 (1 silo on PostgreSQL), marked met or missed from this run.</summary>
    private static void AppendTargets(StringBuilder md, ModeResult? one)
    {
        if (one is null)
        {
            return;
        }

        var pgPerEvent = one.PerEventMicroseconds(one.PostgresCpuSeconds);
        static string Mark(bool met) => met ? "**met**" : "**missed**";
        md.AppendLine("| target (issue 14, cluster, 1 silo on PostgreSQL) | measured | |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(Invariant($"| ≥ 1,500 events/s processed | {one.ProcessedPerSecond:N0}/s processed ({one.AcceptedPerSecond:N0}/s accepted) | {Mark(one.ProcessedPerSecond >= 1_500)} |"));
        md.AppendLine(Invariant($"| PostgreSQL CPU ≤ 1 ms per event | {pgPerEvent:N0} µs per event | {Mark(pgPerEvent <= 1_000)} |"));
        if (one.Postgres is { } p)
        {
            md.AppendLine(Invariant($"| WAL and transactions per event reported | {(double)p.WalLsn / one.Events:N0} B of WAL, {(double)p.Commits / one.Events:0.00} commits, {(double)p.WalSyncs / one.Events:0.000} WAL flushes per event | reported |"));
        }
    }

    private static void AppendScaling(StringBuilder md, ClusterBenchReport r)
    {
        // Per-event costs from the least contended cluster mode (one silo), net of the idle baseline.
        var m = r.Modes.Where(x => x.Silos > 0).OrderBy(x => x.Silos).First();
        var silo = m.PerEventMicroseconds(m.SilosCpuSeconds);
        var pg = m.PerEventMicroseconds(m.PostgresCpuSeconds);
        var wal = (double)m.Postgres!.WalLsn / m.Events;
        var commits = (double)m.Postgres.Commits / m.Events;
        var perSiloCore = 1e6 / silo;
        var pgCpuLimit = PostgresCores * PostgresUsableShare * 1e6 / pg;
        var walLimit = WalDiskBytesPerSecond / wal;
        var pgLimit = Math.Min(pgCpuLimit, walLimit);
        md.AppendLine("## Scaling estimate");
        md.AppendLine();
        md.AppendLine(Invariant($"From the {m.Mode} window (the least contended cluster mode; idle polling included, as it is under load): a silo spends **{silo:N0} µs of CPU per event**"));
        md.AppendLine(Invariant($"(ingest edge + processing), PostgreSQL **{pg:N0} µs per event** and writes **{wal:N0} B of WAL per event** in {commits:0.00} commits."));
        md.AppendLine();
        md.AppendLine("Assumptions: silo CPU per event stays constant as silos are added (the edge is stateless; processing is partitioned and each");
        md.AppendLine("partition's writes go to PostgreSQL independently; Orleans delivers a queue's events to the issue grain wherever it is activated, so");
        md.AppendLine("part of the deliveries become silo-to-silo calls as silos are added, which this N=1 figure does not contain), and a silo uses its");
        md.AppendLine(Invariant($"cores as well as here; PostgreSQL gets {PostgresCores} dedicated cores of which {PostgresUsableShare:P0} are usable before latency"));
        md.AppendLine(Invariant($"climbs, and a WAL disk sustaining {WalDiskBytesPerSecond / 1e6:N0} MB/s (fsync latency of a good SSD; group commit absorbs the commit count)."));
        md.AppendLine("Checkpoints add full-page images on top of the measured WAL when the tables outgrow shared_buffers; autovacuum and reads from");
        md.AppendLine("the API are not in the load.");
        md.AppendLine();
        md.AppendLine("| quantity | estimate |");
        md.AppendLine("|---|---|");
        md.AppendLine(Invariant($"| events/s per silo core (1 / silo CPU per event) | {perSiloCore:N0} |"));
        foreach (var cores in new[] { 2, 4, 8 })
        {
            md.AppendLine(Invariant($"| events/s of one {cores}-core silo | {perSiloCore * cores:N0} |"));
        }

        md.AppendLine(Invariant($"| PostgreSQL CPU limit ({PostgresCores} cores × {PostgresUsableShare:P0} / {pg:N0} µs) | {pgCpuLimit:N0} events/s |"));
        md.AppendLine(Invariant($"| WAL volume limit ({WalDiskBytesPerSecond / 1e6:N0} MB/s / {wal:N0} B) | {walLimit:N0} events/s |"));
        md.AppendLine(Invariant($"| PostgreSQL limit (the lower) | **{pgLimit:N0} events/s**, reached with ≈ {pgLimit / perSiloCore:N1} silo cores of work ({Math.Ceiling(pgLimit / perSiloCore / 4):N0} four-core silo{(Math.Ceiling(pgLimit / perSiloCore / 4) == 1 ? "" : "s")}) |"));
        md.AppendLine(Invariant($"| transactions at that rate | {pgLimit * commits:N0} commits/s ({commits:0.0} per event at this run's mix, stream polls and pool resets included) and ≈ {pgLimit * m.Postgres.WalSyncs / m.Events:N0} WAL flushes/s ({(double)m.Postgres.WalSyncs / m.Events:0.00} per event here; group commit lowers it as load rises) |"));
        md.AppendLine(Invariant($"| partitions | {Partitions()} per cluster: at most that many silos own work; at the PostgreSQL limit each partition carries ≈ {pgLimit / Partitions():N0} events/s |"));
        md.AppendLine(Invariant($"| COPY ceiling on this machine (2 cores shared with the client) | {r.BestCopy.EventsPerSecond:N0} events/s at {r.BestCopy.Cost.CpuSeconds * 1e6 / r.BestCopy.Events:N0} µs PostgreSQL CPU and {(double)r.BestCopy.Cost.WalLsn / r.BestCopy.Events:N0} B WAL per event |"));
        md.AppendLine();

        static int Partitions() => 64;
    }

    private static string Net(double microseconds) => microseconds > 0 ? $"{microseconds:N0}" : "—";

    private static bool IsStreamPoll(StatementStats s) => s.Query.StartsWith(LogTables.PollPrefix, StringComparison.Ordinal);

    private static bool IsBenchQuery(StatementStats s) => s.Query.Contains("sum(times_seen)", StringComparison.Ordinal) || s.Query.Contains("pg_stat", StringComparison.Ordinal) || s.Query.Contains(LogTables.Log + " LIMIT", StringComparison.Ordinal);

    private static string Shorten(string query, int length = 90)
    {
        var q = query.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return q.Length <= length ? q : q[..length] + "…";
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
