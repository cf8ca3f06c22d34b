using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IItemStore"/> in the <c>project_items</c> table of the shared <see cref="SqliteDatabase"/>,
/// versioned as its own <c>items</c> component. Each store is one operation on the writer.
/// </summary>
/// <remarks>
/// Portable SQL as in <see cref="MonitoringSchema"/> (BIGINT/TEXT, integer times, <c>ON CONFLICT</c>
/// upserts; PostgreSQL spells <c>INTEGER PRIMARY KEY</c> as an identity column and <c>BLOB</c> as
/// <c>BYTEA</c>).
/// </remarks>
public sealed class SqliteItemStore : RelationalItemStore
{
    /// <summary>The component name under which the item tables are versioned.</summary>
    public const string Component = "items";

    private static readonly IReadOnlyList<(int Version, string Description, string Sql)> Migrations =
    [
        (1, "non-event envelope items, hourly accepted outcomes", """
            -- One row per non-event envelope item. item_kind (attachment / feedback / other) keeps the
            -- API's lists on one index each; payload is Brotli (payload_encoding 'br') or raw ('identity')
            -- when compression does not help; payload_size and sha1 describe the payload as received.
            CREATE TABLE project_items (
                id               INTEGER PRIMARY KEY,
                project_id       BIGINT  NOT NULL,
                event_id         TEXT,
                item_kind        TEXT    NOT NULL,
                item_type        TEXT    NOT NULL,
                category         TEXT,
                filename         TEXT,
                content_type     TEXT,
                attachment_type  TEXT,
                received         BIGINT  NOT NULL,
                quantity         BIGINT  NOT NULL,
                reporter_name    TEXT,
                reporter_email   TEXT,
                comments         TEXT,
                sha1             TEXT    NOT NULL,
                payload_size     BIGINT  NOT NULL,
                stored_size      BIGINT  NOT NULL,
                truncated        INTEGER NOT NULL,
                payload_encoding TEXT    NOT NULL,
                payload          BLOB    NOT NULL
            );
            CREATE INDEX ix_project_items_event ON project_items (project_id, event_id, id);
            CREATE INDEX ix_project_items_kind  ON project_items (project_id, item_kind, id);

            -- Hourly sums per category and outcome (only 'accepted' today); hour_start is unix seconds.
            CREATE TABLE project_outcomes (
                project_id BIGINT NOT NULL,
                category   TEXT   NOT NULL,
                outcome    TEXT   NOT NULL,
                hour_start BIGINT NOT NULL,
                quantity   BIGINT NOT NULL,
                PRIMARY KEY (project_id, category, outcome, hour_start)
            );
            """),
        (2, "an attachment is stored once per event, filename and content (a retried envelope adds no rows)", """
            -- An SDK that retries an envelope (timeout, 5xx, restart) sends its attachments again with the
            -- same event id. Rows stored twice before this version are folded into the first one, then a
            -- unique index makes the insert skip the duplicate (INSERT ... ON CONFLICT DO NOTHING).
            -- Filename and content both count: two different files of the same name stay two attachments.
            DELETE FROM project_items
            WHERE item_kind = 'attachment' AND event_id IS NOT NULL
              AND id NOT IN (SELECT MIN(id) FROM project_items
                             WHERE item_kind = 'attachment' AND event_id IS NOT NULL
                             GROUP BY project_id, event_id, COALESCE(filename, ''), sha1);
            CREATE UNIQUE INDEX ux_project_items_attachment
                ON project_items (project_id, event_id, COALESCE(filename, ''), sha1)
                WHERE item_kind = 'attachment';
            """),
        (3, "hourly accepted outcomes move to the monitoring outcomes_hourly table (Grains.Monitoring.Outcomes)", OutcomeSql.MoveItemOutcomes),
    ];

    /// <summary>
    /// Creates the store over <paramref name="database"/> (not owned), creating or migrating the item
    /// tables, and the monitoring tables whose <c>events</c> it joins.
    /// </summary>
    public SqliteItemStore(SqliteDatabase database, ItemStoreOptions? options = null)
        : base(new SqliteStoreCommands(database), options)
    {
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
        database.Migrate(Component, Migrations);
    }
}
