namespace Grains.AppHost;

/// <summary>One silo of the app model: its Aspire resource name, the URL of its own process (not a proxy), and its data directory.</summary>
/// <param name="Name">silo1, silo2, ...</param>
/// <param name="Url">Ingest, API, health and the Orleans dashboard of this silo process.</param>
/// <param name="DataDirectory">Its data directory (absolute): the SQLite database when embedded, and the admin-token file of the seeding silo.</param>
/// <param name="Seeds">Whether it seeds the default organization, project, DSN key and admin token (only the first silo does).</param>
public sealed record SiloResource(string Name, string Url, string DataDirectory, bool Seeds);
