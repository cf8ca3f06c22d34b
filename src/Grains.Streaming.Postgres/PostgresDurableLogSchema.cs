using Grains.Postgres.Schema;

namespace Grains.Streaming.Postgres;

/// <summary>
/// The versioned tables of <see cref="PostgresDurableLog"/> and <see cref="PostgresDeadLetterStore"/>
/// (component <see cref="Component"/> of <c>grains_component_schema</c>, applied through
/// <see cref="PostgresSchemaMigrator"/>). Append new migrations; never edit an applied one.
/// </summary>
/// <remarks>Column names avoid SQL keywords (<c>partition</c>, <c>offset</c>) so no statement needs quoting.</remarks>
internal static class PostgresDurableLogSchema
{
    public const string Component = "streaming.log";

    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new("durable log with per-partition offset counters, checkpoints, dead letters", """
            -- The next offset of each partition. An append increments it inside its own transaction, so
            -- the row stays locked until that transaction commits: the appends of one partition
            -- serialize on it and their offsets become visible in offset order (a sequence would let
            -- offset 10 commit before 9, and a reader that checkpointed past 9 would never see it).
            -- Rows are never deleted, so offsets are never reused after the log was trimmed.
            CREATE TABLE grains_log_heads (
                partition_id integer NOT NULL PRIMARY KEY,
                next_offset  bigint  NOT NULL
            );

            CREATE TABLE grains_log (
                partition_id     integer     NOT NULL,
                log_offset       bigint      NOT NULL,
                stream_namespace text        NOT NULL,
                stream_key       text        NOT NULL,
                payload          bytea       NOT NULL,
                appended_at      timestamptz NOT NULL,
                PRIMARY KEY (partition_id, log_offset)
            );

            CREATE TABLE grains_log_checkpoints (
                partition_id      integer     NOT NULL PRIMARY KEY,
                checkpoint_offset bigint      NOT NULL,
                updated_at        timestamptz NOT NULL
            );

            -- One row per item set aside; payload NULL when the failure came without its items.
            -- Unique per (provider, partition, offset): an item set aside again keeps its first row.
            CREATE TABLE grains_dead_letters (
                id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                provider         text        NOT NULL,
                partition_id     integer     NOT NULL,
                stream_namespace text        NOT NULL,
                stream_key       text        NOT NULL,
                subscription_id  uuid        NOT NULL,
                log_offset       bigint      NOT NULL,
                payload          bytea,
                error            text,
                failed_at        timestamptz NOT NULL,
                UNIQUE (provider, partition_id, log_offset)
            );
            """),

        // The W3C trace context of the append (LogTraceContext: why beside the payload, not in it).
        // Nullable without a default: PostgreSQL adds it to the catalog only, existing rows are not
        // rewritten and read as "no context".
        new("trace context of each log record", """
            ALTER TABLE grains_log ADD COLUMN trace_parent text, ADD COLUMN trace_state text;
            """),
    ];
}
