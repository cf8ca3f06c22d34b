namespace Grains.AppHost.Cluster;

/// <summary>The configuration the launcher gives one silo.</summary>
/// <param name="Name">silo1, silo2, ...</param>
/// <param name="PublicUrl">Ingest, API and health (<c>Grains__Url</c>).</param>
/// <param name="InternalPort">Orleans' silo-to-silo port (<c>Orleans__Endpoints__SiloPort</c>).</param>
/// <param name="DataDirectory">Its own data directory (absolute).</param>
/// <param name="ConnectionString">The PostgreSQL connection string; null: SQLite in its data directory.</param>
/// <param name="AdminToken">The admin API token every silo accepts.</param>
/// <param name="Seed">Whether it seeds the default organization and project (only the first silo does).</param>
public sealed record SiloSettings(
    string Name,
    string PublicUrl,
    int InternalPort,
    string DataDirectory,
    string? ConnectionString,
    string AdminToken,
    bool Seed);
