namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IItemStore"/> in the <c>project_items</c> table, over a backend's <see cref="StoreCommands"/>.
/// Payloads are hashed, bounded and Brotli-compressed on the caller's thread (<see cref="PreparedItems"/>),
/// so the writer only runs SQL; one <see cref="StoreAsync"/> is one transaction, every item or none.
/// </summary>
/// <remarks>
/// Items reach their issue by joining the monitoring <c>events</c> table on the event id when read,
/// because an envelope's items are stored before its event has been processed.
/// </remarks>
public abstract class RelationalItemStore : IItemStore
{
    private const string KindAttachment = PreparedItems.KindAttachment;
    private const string KindFeedback = PreparedItems.KindFeedback;
    private const string CursorTag = "f";
    private const int ColumnCount = StoreRows.ItemColumnCount;
    private const string Columns = StoreRows.ItemColumns;

    // An attachment retried by its SDK conflicts with the unique index of the items schema: no row, not reported stored.
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
    // scanning every event of a large issue; PostgreSQL plans it as an ordinary inner join.
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

    private readonly StoreCommands _commands;
    private readonly int _maxAttachmentBytes;

    protected RelationalItemStore(StoreCommands commands, ItemStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        _maxAttachmentBytes = options?.MaxStoredAttachmentBytes ?? ItemStoreOptions.DefaultMaxStoredAttachmentBytes;
        ArgumentOutOfRangeException.ThrowIfNegative(_maxAttachmentBytes);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredItem>> StoreAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        var rows = PreparedItems.Prepare(items, _maxAttachmentBytes).Rows;
        var statements = new SqlStatement[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            statements[i] = Row(rows[i]);
        }

        var counts = await _commands.WriteAsync("items.store", statements, guarded: false, cancellationToken).ConfigureAwait(false);
        var stored = new List<StoredItem>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (counts[i] > 0)
            {
                stored.Add(rows[i].Item);
            }
        }

        return stored;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ItemRecord>> ListByEventAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return await _commands.QueryAsync(new(SelectByEvent, [("@project_id", projectId), ("@event_id", eventId)]), static r => StoreRows.Item(r, withIssue: false), cancellationToken)
            .ConfigureAwait(false);
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
        return _commands.QueryOneAsync(new(SelectAttachment, [("@id", attachmentId), ("@project_id", projectId), ("@event_id", eventId)]), static reader =>
        {
            var item = StoreRows.Item(reader, withIssue: false);
            var encoding = reader.GetString(ColumnCount);
            var payload = reader.GetFieldValue<byte[]>(ColumnCount + 1);
            var data = encoding == PreparedItems.EncodingBrotli ? EventPayload.Decompress(payload, item.StoredSize) : payload;
            return new AttachmentContent(item, data);
        }, cancellationToken);
    }

    private static SqlStatement Row(PreparedItem row)
    {
        var item = row.Item;
        return new(Insert,
        [
            ("@project_id", item.ProjectId), ("@event_id", SqlNull.Of(item.EventId)), ("@item_kind", row.Kind), ("@item_type", item.ItemType),
            ("@category", SqlNull.Of(item.Category)), ("@filename", SqlNull.Of(item.Filename)), ("@content_type", SqlNull.Of(item.ContentType)),
            ("@attachment_type", SqlNull.Of(item.AttachmentType)), ("@received", StoreTime.ToMicroseconds(item.Received)), ("@quantity", item.Quantity),
            ("@reporter_name", SqlNull.Of(item.Name)), ("@reporter_email", SqlNull.Of(item.Email)), ("@comments", SqlNull.Of(item.Comments)),
            ("@sha1", row.Sha1), ("@payload_size", (long)item.Payload.Length), ("@stored_size", row.StoredSize), ("@truncated", row.Truncated ? 1L : 0L),
            ("@payload_encoding", row.Encoding), ("@payload", row.Payload),
        ]);
    }

    // Arguments (the limit, the cursor) are checked at the call, not in the task.
    private Task<ItemPage> PageAsync(string sql, long projectId, long? issueId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var before = string.IsNullOrEmpty(cursor) ? long.MaxValue : StoreCursor.Decode(cursor, CursorTag).Number;

        // One extra row tells whether a next page exists.
        List<(string, object)> parameters = [("@project_id", projectId), ("@before", before), ("@limit", (long)limit + 1)];
        if (issueId is { } issue)
        {
            parameters.Add(("@issue_id", issue));
        }

        return PageAsync(new(sql, parameters), limit, cancellationToken);
    }

    private async Task<ItemPage> PageAsync(SqlStatement statement, int limit, CancellationToken cancellationToken)
    {
        var items = await _commands.QueryAsync(statement, static r => StoreRows.Item(r, withIssue: true), cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = new StoreCursor(CursorTag, items[^1].Id, "").Encode();
        }

        return new ItemPage(items, next);
    }
}
