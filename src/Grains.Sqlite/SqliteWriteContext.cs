namespace Grains.Sqlite;

/// <summary>What a write operation sees while it runs inside the writer's open transaction.</summary>
/// <param name="Commands">The writer connection's commands.</param>
/// <param name="Now">The transaction's timestamp (stamped on appended stream records).</param>
/// <param name="TrimStreamOnCheckpoint">See <see cref="SqliteStorageOptions.TrimStreamOnCheckpoint"/>.</param>
internal sealed record SqliteWriteContext(SqliteCommandCache Commands, DateTimeOffset Now, bool TrimStreamOnCheckpoint);
