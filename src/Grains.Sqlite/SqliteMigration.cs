namespace Grains.Sqlite;

/// <summary>One step of the schema: applied once, in version order, inside a transaction.</summary>
/// <param name="Version">The schema version after this step (1, 2, …).</param>
/// <param name="Description">What it changes (recorded in <c>grains_schema</c>).</param>
/// <param name="Sql">The statements.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql);
