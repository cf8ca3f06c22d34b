namespace Grains.Runtime.Postgres;

/// <summary>
/// The versioned schema of the runtime's tables (component <see cref="PostgresDatabase.RuntimeComponent"/>).
/// Append new migrations; never edit an applied one.
/// </summary>
/// <remarks>
/// Column names avoid SQL keywords (<c>partition</c>, <c>offset</c>) so no statement needs quoting,
/// and mirror the SQLite provider's tables.
/// </remarks>
internal static class PostgresSchema
{
    public static IReadOnlyList<(string Description, string Sql)> Migrations { get; } =
    [
        ("grain state, stream log with per-partition offset counters, checkpoints, reminders", """
            -- payload NULL marks a cleared state: the row keeps its version so an ETag is never reused.
            CREATE TABLE grains_state (
                state_name text   NOT NULL,
                grain_id   text   NOT NULL,
                etag       bigint NOT NULL,
                payload    bytea,
                PRIMARY KEY (state_name, grain_id)
            );

            -- The next offset of each partition. An append increments it inside its own transaction, so
            -- the row stays locked until that transaction commits: the appends of one partition
            -- serialize on it and their offsets become visible in offset order (a sequence would let
            -- offset 10 commit before 9, and a reader that checkpointed past 9 would never see it).
            -- Rows are never deleted, so offsets are never reused after the log was trimmed.
            CREATE TABLE grains_stream_heads (
                partition_id integer NOT NULL PRIMARY KEY,
                next_offset  bigint  NOT NULL
            );

            CREATE TABLE grains_stream (
                partition_id     integer     NOT NULL,
                stream_offset    bigint      NOT NULL,
                stream_namespace text        NOT NULL,
                stream_key       text        NOT NULL,
                payload          bytea       NOT NULL,
                appended_at      timestamptz NOT NULL,
                PRIMARY KEY (partition_id, stream_offset)
            );

            CREATE TABLE grains_checkpoints (
                partition_id      integer     NOT NULL PRIMARY KEY,
                checkpoint_offset bigint      NOT NULL,
                updated_at        timestamptz NOT NULL
            );

            -- Times in microseconds (start: since the Unix epoch, UTC), like the SQLite provider.
            CREATE TABLE grains_reminders (
                grain_id     text    NOT NULL,
                name         text    NOT NULL,
                partition_id integer NOT NULL,
                start_at     bigint  NOT NULL,
                period       bigint  NOT NULL,
                PRIMARY KEY (grain_id, name)
            );
            CREATE INDEX ix_grains_reminders_partition ON grains_reminders (partition_id);
            """),
    ];
}
