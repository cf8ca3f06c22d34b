namespace Grains.Streaming.Sqlite;

/// <summary>
/// The versioned tables of <see cref="SqliteDurableLog"/> and <see cref="SqliteDeadLetterStore"/>,
/// applied through the shared writer's component migrations (<c>grains_component_schema</c>,
/// component <see cref="Component"/>). Append new versions; never edit an applied one.
/// </summary>
internal static class SqliteDurableLogSchema
{
    public const string Component = "streaming.log";

    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "durable log, checkpoints, dead letters", """
            -- AUTOINCREMENT: offsets are never reused, even after the log was trimmed to empty. One
            -- sequence for the whole log, assigned by the single writer in commit order, so within a
            -- partition offsets strictly increase and become visible in offset order.
            CREATE TABLE grains_log (
                log_offset       INTEGER PRIMARY KEY AUTOINCREMENT,
                partition_id     INTEGER NOT NULL,
                stream_namespace TEXT    NOT NULL,
                stream_key       TEXT    NOT NULL,
                payload          BLOB    NOT NULL,
                appended_at      INTEGER NOT NULL
            );
            CREATE INDEX ix_grains_log_partition_offset ON grains_log (partition_id, log_offset);

            CREATE TABLE grains_log_checkpoints (
                partition_id      INTEGER NOT NULL PRIMARY KEY,
                checkpoint_offset INTEGER NOT NULL,
                updated_at        INTEGER NOT NULL
            );

            -- One row per item set aside; payload NULL when the failure came without its items.
            -- Unique per (provider, partition, offset): an item delivered again after a crash and set
            -- aside again keeps its first row.
            CREATE TABLE grains_dead_letters (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                provider         TEXT    NOT NULL,
                partition_id     INTEGER NOT NULL,
                stream_namespace TEXT    NOT NULL,
                stream_key       TEXT    NOT NULL,
                subscription_id  TEXT    NOT NULL,
                log_offset       INTEGER NOT NULL,
                payload          BLOB,
                error            TEXT,
                failed_at        INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_grains_dead_letters_item ON grains_dead_letters (provider, partition_id, log_offset);
            """),

        // The W3C trace context of the append (LogTraceContext: why beside the payload, not in it).
        // Nullable: rows appended before this version, or while no one traced, have none. Adding a
        // nullable column without a default only changes the table's definition (no row is rewritten).
        (2, "trace context of each log record", """
            ALTER TABLE grains_log ADD COLUMN trace_parent TEXT;
            ALTER TABLE grains_log ADD COLUMN trace_state  TEXT;
            """),
    ];
}
