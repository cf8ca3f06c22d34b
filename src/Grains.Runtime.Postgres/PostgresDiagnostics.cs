using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Runtime.Postgres;

/// <summary>
/// The telemetry of the PostgreSQL providers: an <see cref="System.Diagnostics.ActivitySource"/> and a
/// <see cref="System.Diagnostics.Metrics.Meter"/> both named <see cref="Name"/> (add it to the
/// OpenTelemetry tracer and meter providers; Npgsql's own source and meter are named <c>Npgsql</c>).
/// </summary>
public static class PostgresDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Grains.Runtime.Postgres";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    /// <summary>Provider operations by kind and outcome.</summary>
    internal static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "grains.postgres.operations", unit: "{operation}", description: "Storage operations, by kind and outcome (ok, conflict, error).");

    /// <summary>Time of an operation, connection and commit included.</summary>
    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "grains.postgres.operation.duration", unit: "s", description: "Duration of a storage operation, connection and commit included.");

    /// <summary>Records per stream append (one transaction).</summary>
    internal static readonly Histogram<int> AppendSize = Meter.CreateHistogram<int>(
        "grains.postgres.append.size", unit: "{record}", description: "Stream records appended in one transaction.");

    /// <summary>Starts a span of <paramref name="name"/> under the caller's, when anyone listens.</summary>
    internal static Activity? StartActivity(string name)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("db.system.name", "postgresql");
        return activity;
    }
}
