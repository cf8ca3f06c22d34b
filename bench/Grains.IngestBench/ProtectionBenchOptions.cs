using System.Globalization;

namespace Grains.IngestBench;

/// <summary>Settings of <c>Grains.IngestBench protection</c> (<c>--name value</c>).</summary>
public sealed record ProtectionBenchOptions
{
    /// <summary>Each measured phase (B alone, B under A's flood) runs this long.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tenant B's steady arrival rate (open loop), events/s.</summary>
    public int Rate { get; init; } = 100;

    /// <summary>Tenant A's flood: connections of a closed loop (as fast as they go).</summary>
    public int FloodConnections { get; init; } = 64;

    /// <summary>Tenant A's DSN key quota: events per 60 s window (Sentry's key <c>rateLimit</c>).</summary>
    public int FloodLimit { get; init; } = 600;

    /// <summary>Silos of the cluster run on PostgreSQL (0 skips it).</summary>
    public int Silos { get; init; } = 3;

    public bool Write { get; init; }

    public string Output { get; init; } = Path.Combine("bench", "results", "protection.md");

    public static ProtectionBenchOptions Parse(string[] args)
    {
        var options = new ProtectionBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--rate" => options with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => options with { FloodConnections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--flood-limit" => options with { FloodLimit = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--silos" => options with { Silos = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--write" => options with { Write = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
