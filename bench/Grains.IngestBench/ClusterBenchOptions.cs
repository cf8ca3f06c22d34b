using System.Globalization;

namespace Grains.IngestBench;

/// <summary>Settings of <c>Grains.IngestBench cluster</c> (<c>--name value</c>).</summary>
public sealed record ClusterBenchOptions
{
    /// <summary>The cluster sizes to measure, in order (<c>--silos 1,3</c>).</summary>
    public IReadOnlyList<int> Silos { get; init; } = [1, 3];

    public int Connections { get; init; } = 64;

    /// <summary>Closed loop before the measured window (JIT, issue creation, pools); processing drains before the window starts.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The measured closed loop.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The idle baseline (silos joined, no load): the cost of polling, heartbeats and leases.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for processing to catch up after a load.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Each ceiling configuration runs this long.</summary>
    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(6);

    public int DistinctTraces { get; init; } = 1000;

    /// <summary>Also measure the embedded server (SQLite) in the same run, as a reference row.</summary>
    public bool Sqlite { get; init; } = true;

    /// <summary>When positive: <c>perf record</c> of the silos and PostgreSQL for this many seconds of each measured load (perturbs the numbers; for profiling runs).</summary>
    public int PerfSeconds { get; init; }

    /// <summary>Npgsql keywords appended to the silos' connection string (experiments, e.g. <c>No Reset On Close=true;Max Auto Prepare=32</c>).</summary>
    public string ConnectionOptions { get; init; } = "";

    public bool Write { get; init; }

    /// <summary>The results file (relative to the repository root).</summary>
    public string Output { get; init; } = Path.Combine("bench", "results", "cluster.md");

    public static ClusterBenchOptions Parse(IEnumerable<string> arguments)
    {
        var args = arguments.ToArray();
        var options = new ClusterBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
            options = args[i] switch
            {
                "--silos" => options with { Silos = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] },
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = Seconds() },
                "--duration" => options with { Duration = Seconds() },
                "--idle" => options with { Idle = Seconds() },
                "--drain-timeout" => options with { DrainTimeout = Seconds() },
                "--ceiling-duration" => options with { CeilingDuration = Seconds() },
                "--traces" => options with { DistinctTraces = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-sqlite" => options with { Sqlite = false },
                "--perf" => options with { PerfSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--output" => options with { Output = Next() },
                "--connection-options" => options with { ConnectionOptions = Next() },
                "--write" => options with { Write = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
