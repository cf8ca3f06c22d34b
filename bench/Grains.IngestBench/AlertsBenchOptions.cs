using System.Globalization;

namespace Grains.IngestBench;

/// <summary>Settings of <c>Grains.IngestBench alerts</c> (<c>--name value</c>).</summary>
public sealed record AlertsBenchOptions
{
    /// <summary>Each closed-loop throughput run (without rules, with <see cref="Rules"/> rules) lasts this long.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections of the closed-loop runs.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Rules per project in the second throughput run.</summary>
    public int Rules { get; init; } = 10;

    /// <summary>New issues sent in the latency run, each firing the first-seen webhook rule once.</summary>
    public int Firings { get; init; } = 1000;

    /// <summary>The latency run's arrival rate (events/s, open loop): a steady stream, not a saturation test.</summary>
    public int Rate { get; init; } = 50;

    public bool Write { get; init; }

    public string Output { get; init; } = Path.Combine("bench", "results", "alerts.md");

    public static AlertsBenchOptions Parse(string[] args)
    {
        var options = new AlertsBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rules" => options with { Rules = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--firings" => options with { Firings = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--write" => options with { Write = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
