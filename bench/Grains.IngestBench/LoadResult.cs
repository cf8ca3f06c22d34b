namespace Grains.IngestBench;

/// <summary>What one load run measured.</summary>
public sealed record LoadResult(long Accepted, long WarmupAccepted, long Failed, TimeSpan Duration, double[] LatenciesMs)
{
    public double Throughput => Accepted / Duration.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A row of bench/results/ingest.md, with the 1-minute load average measured before the run.</summary>
    public string Row(string name, long peakRssMb, double loadAverage) =>
        $"| {name} | {Throughput:N0}/s ({Accepted:N0} in {Duration.TotalSeconds:0} s, {Failed:N0} failed) | {Percentile(0.50):0.0} ms | {Percentile(0.99):0.0} ms | peak RSS {peakRssMb:N0} MB | {loadAverage:0.00} |";

    public string Row(string name, long peakRssMb) =>
        $"| {name} | {Throughput:N0}/s ({Accepted:N0} in {Duration.TotalSeconds:0} s, {Failed:N0} failed) | {Percentile(0.50):0.0} ms | {Percentile(0.99):0.0} ms | peak RSS {peakRssMb:N0} MB |";
}
