using System.Diagnostics.Metrics;

namespace Grains.Monitoring.Releases;

/// <summary>Releases' metrics (meter <c>Grains.Releases</c>, exported with every <c>Grains.*</c> meter).</summary>
public static class ReleaseInstruments
{
    /// <summary>The name of the releases' Meter.</summary>
    public const string MeterName = "Grains.Releases";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Release rows (per project and environment) an issue batch upserted and committed.</summary>
    public static readonly Counter<long> UpsertsWritten = Meter.CreateCounter<long>(
        "grains.releases.upserts.written", "{row}", "Release rows upserted by committed issue batches.");

    /// <summary>Release rows an issue batch left out because this silo had written them within the window.</summary>
    public static readonly Counter<long> UpsertsSkipped = Meter.CreateCounter<long>(
        "grains.releases.upserts.skipped", "{row}", "Release rows left out of issue batches because this silo wrote them within the window.");
}
