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
