using System.Diagnostics.Metrics;
using Grains.Ingestion.Body;

namespace Grains.Server.Ingest;

/// <summary>The ingest edge's metrics, on the meter <c>Grains.Ingest</c>.</summary>
public sealed class IngestInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Grains.Ingest";

    /// <summary>Creates the instruments over <paramref name="budget"/>.</summary>
    public IngestInstruments(IMeterFactory meters, InflationBudget budget)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(budget);
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("grains.ingest.inflating_bytes", () => budget.InFlight, "By",
            "Bytes held by request bodies being decoded and parsed now (the inflation budget in use).");
        meter.CreateObservableCounter("grains.ingest.decoded_bytes", () => budget.DecodedBytes, "By",
            "Decoded request body bytes, authenticated or not.");
        meter.CreateObservableCounter("grains.ingest.inflation_rejections", () => budget.Rejections, "{request}",
            "Requests answered 503 because the inflation budget stayed full.");
    }
}
