namespace Grains.Postgres.Schema;

/// <summary>
/// One step of a component's schema: its position in the component's list is its version
/// (the first is version 1). Append new steps; never edit one that may have been applied.
/// </summary>
/// <param name="Description">What the step creates or changes, recorded with the version.</param>
/// <param name="Sql">The statements (several allowed, PL/pgSQL bodies included); run inside the migration's transaction.</param>
public sealed record PostgresMigration(string Description, string Sql);
