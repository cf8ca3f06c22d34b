namespace Grains.IngestBench;

/// <summary>What one mode (embedded, or a cluster of N silos) measured over its window: load, processing, costs.</summary>
public sealed record ModeResult(string Mode)
{
    /// <summary>0 for the embedded server.</summary>
    public int Silos { get; init; }

    /// <summary>The PostgreSQL database of a cluster mode.</summary>
    public string? Database { get; init; }

    public required LoadResult Load { get; init; }

    public long WarmupAccepted { get; init; }

    /// <summary>Seconds from the start of the measured load until it stopped.</summary>
    public double LoadSeconds { get; init; }

    /// <summary>Seconds from the start of the measured load until every accepted event was processed.</summary>
    public double DrainedSeconds { get; init; }

    /// <summary>Events of the window processed by the time the load stopped.</summary>
    public long ProcessedDuringLoad { get; init; }

    /// <summary>(seconds since the window started, events processed) about once a second during the load.</summary>
    public IReadOnlyList<(double Seconds, long Processed)> Progress { get; init; } = [];

    public double SilosCpuSeconds { get; init; }

    public double PostgresCpuSeconds { get; init; }

    public double GeneratorCpuSeconds { get; init; }

    public double MachineBusySeconds { get; init; }

    public double MachineTotalSeconds { get; init; }

    /// <summary>PostgreSQL's counters over the window (cluster modes).</summary>
    public PostgresSnapshot? Postgres { get; init; }

    public IReadOnlyList<StatementStats> Statements { get; init; } = [];

    public IdleBaseline? Idle { get; init; }

    /// <summary>Active backends of the run's database by wait event, summed over <see cref="WaitSamples"/> samples during the load.</summary>
    public IReadOnlyDictionary<string, int> Waits { get; init; } = new Dictionary<string, int>();

    public int WaitSamples { get; init; }

    /// <summary>Rows in the event store at the end (warm-up included); -1 when not counted.</summary>
    public long EventsStored { get; init; } = -1;

    public IReadOnlyList<int> PartitionsPerSilo { get; init; } = [];

    public IReadOnlyList<long> PeakRssMb { get; init; } = [];

    public long Events => Load.Accepted;

    public double AcceptedPerSecond => Load.Throughput;

    public double ProcessedPerSecond => Events / DrainedSeconds;

    public double ProcessedDuringLoadPerSecond => ProcessedDuringLoad / LoadSeconds;

    public double DrainAfterLoadSeconds => DrainedSeconds - LoadSeconds;

    /// <summary>CPU seconds of the machine not spent by the silos, PostgreSQL or the load generator (other work on the machine, kernel threads).</summary>
    public double OtherCpuSeconds => MachineBusySeconds - SilosCpuSeconds - PostgresCpuSeconds - GeneratorCpuSeconds;

    public double PerEventMicroseconds(double cpuSeconds) => cpuSeconds * 1e6 / Events;
}

/// <summary>Cost of a joined, idle cluster per second (pulling agents polling their partitions, membership probes and table refreshes).</summary>
public sealed record IdleBaseline(TimeSpan Window, double SilosCpuPerSecond, double PostgresCpuPerSecond, PostgresSnapshot? Postgres, IReadOnlyList<StatementStats> Statements);

/// <summary>Everything a cluster bench run measured.</summary>
public sealed record ClusterBenchReport(
    string Machine,
    DateTime Started,
    double LoadAverageBefore,
    double LoadAverageAfter,
    string PostgresVersion,
    string PostgresSettings,
    string ServerBuild,
    IReadOnlyList<ModeResult> Modes,
    IReadOnlyList<CeilingResult> Ceilings,
    CeilingSample Sample)
{
    public CeilingResult BestCopy => Ceilings.Where(c => c.Name.StartsWith("binary COPY", StringComparison.Ordinal)).MaxBy(c => c.EventsPerSecond)!;
}
