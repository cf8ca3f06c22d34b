namespace Grains.IngestBench;

/// <summary>The embedded targets of issue 14, each row marked met or missed from this run's measurements.</summary>
public static class Targets
{
    public const double ProcessedPerSecond = 5_000;
    public const double PacedP99Ms = 50;
    public const double PacedRate = 2_000;
    public const long PeakRssMb = 500;

    public static string Table(double processedPerSecond, TimeSpan duration, double pacedP99Ms, double pacedThroughput, int pacedRate, long distinctPeakRssMb, int distinctIssues)
    {
        static string Mark(bool? met) => met switch { true => "**met**", false => "**missed**", null => "not run" };
        var processed = double.IsNaN(processedPerSecond) ? (bool?)null : processedPerSecond >= ProcessedPerSecond;
        var paced = double.IsNaN(pacedP99Ms) || pacedRate != (int)PacedRate ? (bool?)null : pacedP99Ms <= PacedP99Ms && pacedThroughput >= PacedRate * 0.98;
        var rss = distinctPeakRssMb < 0 || distinctIssues < 100_000 ? (bool?)null : distinctPeakRssMb <= PeakRssMb;
        return $"""
            | target (issue 14, embedded) | measured | |
            |---|---|---|
            | ≥ {ProcessedPerSecond:N0} events/s processed for {duration.TotalSeconds:0} s | {(double.IsNaN(processedPerSecond) ? "—" : $"{processedPerSecond:N0}/s processed")} | {Mark(processed)} |
            | p99 accept ≤ {PacedP99Ms:0} ms at {PacedRate:N0} events/s (open loop) | {(double.IsNaN(pacedP99Ms) ? "—" : $"p99 {pacedP99Ms:N1} ms, {pacedThroughput:N0}/s accepted at {pacedRate:N0}/s offered")} | {Mark(paced)} |
            | peak RSS ≤ {PeakRssMb:N0} MB after 100,000 distinct issues | {(distinctPeakRssMb < 0 ? "—" : $"{distinctPeakRssMb:N0} MB after {distinctIssues:N0}")} | {Mark(rss)} |
            """;
    }
}
