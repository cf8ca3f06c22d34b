using System.Diagnostics.Metrics;

namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>The User-Agent parser's <see cref="Meter"/>, named <see cref="Name"/> (matched by the service defaults' <c>Grains.*</c>).</summary>
internal static class UserAgentDiagnostics
{
    public const string Name = "Grains.Ingestion.UserAgent";

    private static readonly Meter Meter = new(Name);

    /// <summary>User-Agents looked up, tagged <c>cache</c> = <c>hit</c> or <c>miss</c> (a miss runs the rules).</summary>
    public static readonly Counter<long> Lookups = Meter.CreateCounter<long>(
        "grains.ingest.user_agent.lookups", "{lookup}", "User-Agent strings looked up, by cache hit or miss.");

    /// <summary>Rule matches abandoned at the match timeout (the rule counts as not matching).</summary>
    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>(
        "grains.ingest.user_agent.timeouts", "{match}", "uap-core rule matches abandoned at the timeout.");

    /// <summary>Time to read and compile the rule file, once per process.</summary>
    public static readonly Histogram<double> LoadDuration = Meter.CreateHistogram<double>(
        "grains.ingest.user_agent.load.duration", "s", "Time to read and compile the uap-core rules.");
}
