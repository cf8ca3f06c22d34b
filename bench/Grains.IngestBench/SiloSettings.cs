namespace Grains.IngestBench;

/// <summary>What one cluster silo is started with (the environment contract of a silo process).</summary>
public sealed record SiloSettings(
    int PublicPort,
    int InternalPort,
    string DataDirectory,
    string ConnectionString,
    string ClusterSecret,
    string AdminToken);
