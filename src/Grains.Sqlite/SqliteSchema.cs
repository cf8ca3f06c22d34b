namespace Grains.Sqlite;

/// <summary>
/// The versioned schema. Append new migrations; never edit an applied one. The SQL stays close to
/// standard SQL so the PostgreSQL provider can mirror it (integer microseconds for time, ON
/// CONFLICT upserts, RETURNING; only the auto-increment clause and MAX(a, b) differ).
/// </summary>
/// <remarks>
/// Column names avoid SQL keywords (<c>partition</c>, <c>offset</c>) so no statement needs quoting.
/// </remarks>
internal static class SqliteSchema
{
    public const string CreateSchemaTable = """
        CREATE TABLE IF NOT EXISTS grains_schema (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_at  INTEGER NOT NULL
        )
        """;

    public const string SelectVersion = "SELECT COALESCE(MAX(version), 0) FROM grains_schema";

    public const string InsertVersion = "INSERT INTO grains_schema (version, description, applied_at) VALUES (@version, @description, @applied_at)";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "grain state, stream log, checkpoints, reminders", """
            -- payload NULL marks a cleared state: the row keeps its version so an ETag is never reused.
            CREATE TABLE grains_state (
                state_name TEXT    NOT NULL,
                grain_id   TEXT    NOT NULL,
                etag       INTEGER NOT NULL,
                payload    BLOB,
                PRIMARY KEY (state_name, grain_id)
            );

            -- AUTOINCREMENT (not a plain rowid) so offsets are never reused after trimming deleted the
            -- newest rows: a reused offset at or below a checkpoint would never be delivered.
            CREATE TABLE grains_stream (
                stream_offset    INTEGER PRIMARY KEY AUTOINCREMENT,
                partition_id     INTEGER NOT NULL,
                stream_namespace TEXT    NOT NULL,
                stream_key       TEXT    NOT NULL,
                payload          BLOB    NOT NULL,
                appended_at      INTEGER NOT NULL
            );
            CREATE INDEX ix_grains_stream_partition_offset ON grains_stream (partition_id, stream_offset);

            CREATE TABLE grains_checkpoints (
                partition_id      INTEGER NOT NULL PRIMARY KEY,
                checkpoint_offset INTEGER NOT NULL,
                updated_at        INTEGER NOT NULL
            );

            CREATE TABLE grains_reminders (
                grain_id     TEXT    NOT NULL,
                name         TEXT    NOT NULL,
                partition_id INTEGER NOT NULL,
                start_at     INTEGER NOT NULL,
                period       INTEGER NOT NULL,
                PRIMARY KEY (grain_id, name)
            );
            CREATE INDEX ix_grains_reminders_partition ON grains_reminders (partition_id);
            """),

        // Version 1 held the tables of the runtime Grains carried before it moved onto Orleans. Orleans'
        // providers keep grain state, the ingest log and reminders in their own components
        // (orleans.grain_state, streaming.log, orleans.reminders); what the old runtime left behind
        // is not read by anything and is not carried over.
        new(2, "drop the tables of the runtime before Orleans", """
            DROP TABLE IF EXISTS grains_state;
            DROP TABLE IF EXISTS grains_stream;
            DROP TABLE IF EXISTS grains_checkpoints;
            DROP TABLE IF EXISTS grains_reminders;
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
