using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Postgres;

/// <summary>
/// The telemetry of the shared PostgreSQL plumbing: an <see cref="System.Diagnostics.ActivitySource"/>
/// and a <see cref="System.Diagnostics.Metrics.Meter"/> both named <see cref="Name"/> (add it to the
/// OpenTelemetry tracer and meter providers; Npgsql's own are named <c>Npgsql</c>, Orleans' ADO.NET
/// providers report through <c>Microsoft.Orleans</c>).
/// </summary>
public static class PostgresDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Grains.Postgres";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    /// <summary>Schema migrations applied by this process, by component.</summary>
    internal static readonly Counter<long> MigrationsApplied = Meter.CreateCounter<long>(
        "grains.postgres.schema.migrations_applied", unit: "{migration}", description: "Schema migrations applied by this process, by component.");

    /// <summary>Time of one migration run, waiting for the lock included.</summary>
    internal static readonly Histogram<double> MigrationDuration = Meter.CreateHistogram<double>(
        "grains.postgres.schema.migration.duration", unit: "s", description: "Duration of a schema migration run, waiting for another process's run included.");

    /// <summary>Operations run through <see cref="PostgresDatabase.ExecuteAsync{TState, T}"/>, by kind and outcome.</summary>
    internal static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "grains.postgres.operations", unit: "{operation}", description: "Storage operations, by kind and outcome (ok, cancelled, error).");

    /// <summary>Time of an operation, connection and commit included.</summary>
    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "grains.postgres.operation.duration", unit: "s", description: "Duration of a storage operation, connection and commit included.");

    /// <summary>Starts a client span of <paramref name="name"/> under the caller's, when anyone listens.</summary>
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
