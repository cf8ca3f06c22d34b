using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IItemStore"/> in the <c>project_items</c> table of the shared
/// <see cref="SqliteDatabase"/>, versioned as its own <c>items</c> component. Payloads are hashed,
/// bounded and Brotli-compressed on the caller's thread, so the single writer thread only runs SQL.
/// </summary>
/// <remarks>
/// Portable SQL as in <see cref="MonitoringSchema"/> (BIGINT/TEXT, integer times, <c>ON CONFLICT</c>
/// upserts; PostgreSQL spells <c>INTEGER PRIMARY KEY</c> as an identity column and <c>BLOB</c> as
/// <c>BYTEA</c>). Items reach their issue by joining the monitoring <c>events</c> table on the event id
/// when read, because an envelope's items are stored before its event has been processed.
/// </remarks>
public sealed class SqliteItemStore : IItemStore
{
    /// <summary>The component name under which the item tables are versioned.</summary>
    public const string Component = "items";

    private const string KindAttachment = PreparedItems.KindAttachment;
    private const string KindFeedback = PreparedItems.KindFeedback;
    private const string CursorTag = "f";

    private const int ColumnCount = StoreRows.ItemColumnCount;

    private const string Columns = StoreRows.ItemColumns;

    private const string Insert = """
        INSERT INTO project_items (project_id, event_id, item_kind, item_type, category, filename, content_type, attachment_type, received, quantity,
                                   reporter_name, reporter_email, comments, sha1, payload_size, stored_size, truncated, payload_encoding, payload)
        VALUES (@project_id, @event_id, @item_kind, @item_type, @category, @filename, @content_type, @attachment_type, @received, @quantity,
                @reporter_name, @reporter_email, @comments, @sha1, @payload_size, @stored_size, @truncated, @payload_encoding, @payload)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectByEvent = $"""
        SELECT {Columns} FROM project_items i
        WHERE i.project_id = @project_id AND i.event_id = @event_id AND i.item_kind IN ('{KindAttachment}', '{KindFeedback}')
        ORDER BY i.id
        """;

    // LEFT JOIN: a report whose event is not (yet) stored is still listed, without an issue.
    private const string SelectFeedback = $"""
        SELECT {Columns}, e.issue_id FROM project_items i
        LEFT JOIN events e ON e.project_id = i.project_id AND e.event_id = i.event_id
        WHERE i.project_id = @project_id AND i.item_kind = '{KindFeedback}' AND i.id < @before
        ORDER BY i.id DESC LIMIT @limit
        """;

    // CROSS JOIN keeps SQLite's planner walking the (few) reports and probing events by key, instead of
    // scanning every event of a large issue; in PostgreSQL it is an ordinary inner join.
    private const string SelectFeedbackByIssue = $"""
        SELECT {Columns}, e.issue_id FROM project_items i
        CROSS JOIN events e
        WHERE i.project_id = @project_id AND i.item_kind = '{KindFeedback}' AND i.id < @before
          AND e.project_id = i.project_id AND e.event_id = i.event_id AND e.issue_id = @issue_id
        ORDER BY i.id DESC LIMIT @limit
        """;

    private const string SelectAttachment = $"""
        SELECT {Columns}, i.payload_encoding, i.payload FROM project_items i
        WHERE i.id = @id AND i.project_id = @project_id AND i.event_id = @event_id AND i.item_kind = '{KindAttachment}'
        """;

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


    private readonly SqliteDatabase _database;
    private readonly int _maxAttachmentBytes;

    /// <summary>
    /// Creates the store over <paramref name="database"/> (not owned), creating or migrating the item
    /// tables, and the monitoring tables whose <c>events</c> it joins.
    /// </summary>
    public SqliteItemStore(SqliteDatabase database, ItemStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _maxAttachmentBytes = options?.MaxStoredAttachmentBytes ?? ItemStoreOptions.DefaultMaxStoredAttachmentBytes;
        ArgumentOutOfRangeException.ThrowIfNegative(_maxAttachmentBytes);
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
        database.Migrate(Component, Migrations);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredItem>> StoreAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredItem>>([]);
        }

        var prepared = PreparedItems.Prepare(items, _maxAttachmentBytes);
        return _database.WriteAsync("items.store", prepared, static (connection, s) =>
        {
            var stored = new List<StoredItem>(s.Rows.Count);
            foreach (var row in s.Rows)
            {
                var item = row.Item;
                var inserted = connection.Prepared(Insert)
                    .Set("@project_id", item.ProjectId)
                    .Set("@event_id", item.EventId)
                    .Set("@item_kind", row.Kind)
                    .Set("@item_type", item.ItemType)
                    .Set("@category", item.Category)
                    .Set("@filename", item.Filename)
                    .Set("@content_type", item.ContentType)
                    .Set("@attachment_type", item.AttachmentType)
                    .Set("@received", StoreTime.ToMicroseconds(item.Received))
                    .Set("@quantity", item.Quantity)
                    .Set("@reporter_name", item.Name)
                    .Set("@reporter_email", item.Email)
                    .Set("@comments", item.Comments)
                    .Set("@sha1", row.Sha1)
                    .Set("@payload_size", (long)item.Payload.Length)
                    .Set("@stored_size", row.StoredSize)
                    .Set("@truncated", row.Truncated ? 1L : 0L)
                    .Set("@payload_encoding", row.Encoding)
                    .Set("@payload", row.Payload)
                    .ExecuteNonQuery();
                if (inserted > 0)
                {
                    stored.Add(item);
                }
            }

            return (IReadOnlyList<StoredItem>)stored;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ItemRecord>> ListByEventAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ItemRecord>>(_database.Read((projectId, eventId), static (connection, s) =>
        {
            var command = connection.Prepared(SelectByEvent).Set("@project_id", s.projectId).Set("@event_id", s.eventId);
            var items = new List<ItemRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items.Add(StoreRows.Item(reader, withIssue: false));
            }

            return items;
        }));
    }

    /// <inheritdoc />
    public Task<ItemPage> ListFeedbackAsync(long projectId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        PageAsync(SelectFeedback, projectId, null, limit, cursor, cancellationToken);

    /// <inheritdoc />
    public Task<ItemPage> ListFeedbackByIssueAsync(long projectId, long issueId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        PageAsync(SelectFeedbackByIssue, projectId, issueId, limit, cursor, cancellationToken);

    /// <inheritdoc />
    public Task<AttachmentContent?> GetAttachmentAsync(long projectId, string eventId, long attachmentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((projectId, eventId, attachmentId), static (connection, s) =>
        {
            var command = connection.Prepared(SelectAttachment)
                .Set("@id", s.attachmentId)
                .Set("@project_id", s.projectId)
                .Set("@event_id", s.eventId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var item = StoreRows.Item(reader, withIssue: false);
            var encoding = reader.GetString(ColumnCount);
            var payload = reader.GetFieldValue<byte[]>(ColumnCount + 1);
            var data = encoding == PreparedItems.EncodingBrotli ? EventPayload.Decompress(payload, item.StoredSize) : payload;
            return new AttachmentContent(item, data);
        }));
    }

    private Task<ItemPage> PageAsync(string sql, long projectId, long? issueId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var before = string.IsNullOrEmpty(cursor) ? long.MaxValue : StoreCursor.Decode(cursor, CursorTag).Number;
        return Task.FromResult(_database.Read((sql, projectId, issueId, limit, before), static (connection, s) =>
        {
            // One extra row tells whether a next page exists.
            var command = connection.Prepared(s.sql)
                .Set("@project_id", s.projectId)
                .Set("@before", s.before)
                .Set("@limit", s.limit + 1);
            if (s.issueId is { } issueId)
            {
                command.Set("@issue_id", issueId);
            }

            var items = new List<ItemRecord>(Math.Min(s.limit + 1, 101));
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(StoreRows.Item(reader, withIssue: true));
                }
            }

            string? next = null;
            if (items.Count > s.limit)
            {
                items.RemoveAt(s.limit);
                next = new StoreCursor(CursorTag, items[^1].Id, "").Encode();
            }

            return new ItemPage(items, next);
        }));
    }
}
