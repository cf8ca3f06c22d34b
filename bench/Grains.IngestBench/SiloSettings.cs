namespace Grains.IngestBench;

/// <summary>
/// What one cluster silo is started with (the environment contract of a silo process, as the AppHost
/// launcher and tests/e2e/cluster.mjs pass it): its public URL's port, the Orleans silo-to-silo port
/// (advertised on loopback; no gateway: ingest and API run in the silo), data directory, database and admin token.
/// </summary>
public sealed record SiloSettings(
    int PublicPort,
    int SiloPort,
    string DataDirectory,
    string ConnectionString,
    string AdminToken);
