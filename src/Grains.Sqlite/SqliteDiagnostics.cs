using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Sqlite;

/// <summary>
/// The telemetry of the SQLite providers: an <see cref="System.Diagnostics.ActivitySource"/> and a
/// <see cref="System.Diagnostics.Metrics.Meter"/> both named <see cref="Name"/> (add it to the
/// OpenTelemetry tracer and meter providers).
/// </summary>
public static class SqliteDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Grains.Sqlite";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    /// <summary>Operations per group-commit transaction.</summary>
    internal static readonly Histogram<int> TransactionSize = Meter.CreateHistogram<int>(
        "grains.sqlite.transaction.size", unit: "{operation}", description: "Write operations committed in one transaction (group commit).");

    /// <summary>Time from BEGIN to the end of COMMIT, fsync included.</summary>
    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "grains.sqlite.commit.duration", unit: "s", description: "Duration of a group-commit transaction, fsync included.");

    /// <summary>Write operations by kind and outcome.</summary>
    internal static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "grains.sqlite.operations", unit: "{operation}", description: "Write operations processed by the writer, by kind and outcome.");
}
