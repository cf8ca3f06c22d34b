using System.Globalization;

namespace Grains.IngestBench;

/// <summary>Command-line settings (<c>--name value</c>).</summary>
public sealed record BenchOptions
{
    public int Connections { get; init; } = 64;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public int Rate { get; init; } = 2000;

    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromSeconds(20);

    public int DistinctTraces { get; init; } = 1000;

    public int DistinctIssues { get; init; } = 100_000;

    public bool Write { get; init; }

    /// <summary>The hot-issue run's arrival rate (events/s, every event the same issue); 0 skips it.</summary>
    public int HotRate { get; init; } = 2000;

    /// <summary>The hot-issue run's duration.</summary>
    public TimeSpan HotDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Before each server starts, wait for the 1-minute load average to fall below this (a shared machine).</summary>
    public double MaxLoad { get; init; } = 1.5;

    /// <summary>The longest wait for <see cref="MaxLoad"/>; then the run measures anyway and reports the load.</summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The runs to do (<c>--runs ceiling,closed,paced,distinct,hot</c>; default all).</summary>
    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string> { "ceiling", "closed", "paced", "distinct", "hot" };

    /// <summary>bench/results/ingest.md: everything from this line on is hand-written and kept when <c>--write</c> rewrites the file.</summary>
    public const string NotesMarker = "<!-- notes: hand-written below this line, kept when the file is regenerated -->";

    public bool Runs(string phase) => Phases.Contains(phase);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--rate" => options with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--latency-duration" => options with { LatencyDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--traces" => options with { DistinctTraces = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--distinct-issues" => options with { DistinctIssues = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--write" => options with { Write = true },
                "--hot-rate" => options with { HotRate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--hot-duration" => options with { HotDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--max-load" => options with { MaxLoad = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--quiet-wait" => options with { QuietWait = TimeSpan.FromMinutes(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--runs" => options with { Phases = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }

    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grains.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Grains.sln not found above " + AppContext.BaseDirectory);
    }
}
