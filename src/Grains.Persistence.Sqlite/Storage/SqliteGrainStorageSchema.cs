namespace Grains.Persistence.Sqlite;

/// <summary>
/// The versioned tables of <see cref="SqliteGrainStorage"/>, applied through the shared writer's
/// component migrations (<c>grains_component_schema</c>, component <see cref="Component"/>).
/// Append new versions; never edit an applied one.
/// </summary>
internal static class SqliteGrainStorageSchema
{
    public const string Component = "orleans.grain_state";

    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "Orleans grain state", """
            -- etag: a random 64-bit value replaced by every write and clear, so an ETag is never reused
            -- (a stale activation cannot match a row that was deleted and written again).
            -- payload NULL: cleared without delete-on-clear (the row keeps fencing stale ETags).
            CREATE TABLE grains_grain_state (
                service_id TEXT    NOT NULL,
                state_name TEXT    NOT NULL,
                grain_id   TEXT    NOT NULL,
                etag       INTEGER NOT NULL,
                payload    BLOB,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (service_id, state_name, grain_id)
            ) WITHOUT ROWID;
            """),
    ];
}
