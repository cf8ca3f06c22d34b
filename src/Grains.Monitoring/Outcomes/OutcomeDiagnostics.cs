using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Monitoring.Outcomes;

/// <summary>Outcomes' traces (ActivitySource <c>Grains.Outcomes</c>) and metrics (meter <c>Grains.Outcomes</c>).</summary>
public static class OutcomeDiagnostics
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Grains.Outcomes";

    /// <summary>Spans of the flushes.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Recorded outcomes (calls to <see cref="IOutcomeRecorder.Record"/>), by outcome and category.</summary>
    public static readonly Counter<long> Recorded = Meter.CreateCounter<long>(
        "grains.outcomes.recorded", unit: "{outcome}", description: "Outcomes recorded, by outcome and data category.");

    /// <summary>Their quantities (items; bytes for <c>attachment</c>), by outcome and category.</summary>
    public static readonly Counter<long> Quantity = Meter.CreateCounter<long>(
        "grains.outcomes.quantity", unit: "{item}", description: "Outcome quantities (items; bytes for the attachment category), by outcome and data category.");

    /// <summary>Outcome batches written, by result (written, duplicate, error).</summary>
    public static readonly Counter<long> Flushes = Meter.CreateCounter<long>(
        "grains.outcomes.flushes", unit: "{batch}", description: "Outcome batches flushed to the store, by result (written, duplicate, error).");

    /// <summary>Rows in the written batches.</summary>
    public static readonly Counter<long> FlushedRows = Meter.CreateCounter<long>(
        "grains.outcomes.flushed_rows", unit: "{row}", description: "Hourly outcome rows written (counts added).");
}
