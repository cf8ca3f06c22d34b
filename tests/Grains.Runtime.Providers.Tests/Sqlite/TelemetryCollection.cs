namespace Grains.Runtime.Providers.Tests.Sqlite;

/// <summary>
/// Tests that listen to the process-wide meter and activity source: they run alone, so the
/// measurements they see come from their own database only.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "SQLite telemetry";
}
