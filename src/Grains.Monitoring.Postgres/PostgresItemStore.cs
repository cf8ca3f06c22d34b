using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IItemStore"/> in the <c>project_items</c> table of a shared
/// <see cref="PostgresDatabase"/>, versioned as the <c>items</c> component, with the statements of the
/// SQLite store. Payloads are hashed, bounded and Brotli-compressed on the caller's thread.
/// </summary>
/// <remarks>
/// One <see cref="StoreAsync"/> is one transaction: every item, or none.
/// </remarks>
public sealed class PostgresItemStore : IItemStore
{
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

    private const string SelectFeedbackByIssue = $"""
        SELECT {Columns}, e.issue_id FROM project_items i
        JOIN events e ON e.project_id = i.project_id AND e.event_id = i.event_id
        WHERE i.project_id = @project_id AND i.item_kind = '{KindFeedback}' AND i.id < @before AND e.issue_id = @issue_id
        ORDER BY i.id DESC LIMIT @limit
        """;

    private const string SelectAttachment = $"""
        SELECT {Columns}, i.payload_encoding, i.payload FROM project_items i
        WHERE i.id = @id AND i.project_id = @project_id AND i.event_id = @event_id AND i.item_kind = '{KindAttachment}'
        """;

    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;
    private readonly int _maxAttachmentBytes;

    /// <summary>
    /// Creates the store over <paramref name="database"/> (not owned); the item tables, and the
    /// monitoring tables whose <c>events</c> it joins, are created or migrated before its first operation.
    /// </summary>
    public PostgresItemStore(PostgresDatabase database, ItemStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
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

        var prepared = PreparedItems.Prepare(items, _maxAttachmentBytes);
        await _schema.ItemsAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A retried attachment is skipped (ON CONFLICT DO NOTHING, 0 rows affected) and not reported stored.
        await using var inserts = new NpgsqlBatch(connection, transaction);
        foreach (var row in prepared.Rows)
        {
            var item = row.Item;
            var insert = new NpgsqlBatchCommand(Insert);
            insert.Parameters
                .With("@project_id", item.ProjectId)
                .WithText("@event_id", item.EventId)
                .With("@item_kind", row.Kind)
                .With("@item_type", item.ItemType)
                .WithText("@category", item.Category)
                .WithText("@filename", item.Filename)
                .WithText("@content_type", item.ContentType)
                .WithText("@attachment_type", item.AttachmentType)
                .With("@received", StoreTime.ToMicroseconds(item.Received))
                .With("@quantity", item.Quantity)
                .WithText("@reporter_name", item.Name)
                .WithText("@reporter_email", item.Email)
                .WithText("@comments", item.Comments)
                .With("@sha1", row.Sha1)
                .With("@payload_size", (long)item.Payload.Length)
                .With("@stored_size", row.StoredSize)
                .With("@truncated", row.Truncated ? 1L : 0L)
                .With("@payload_encoding", row.Encoding)
                .With("@payload", row.Payload);
            inserts.BatchCommands.Add(insert);
        }

        await inserts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var stored = prepared.Rows.Where((_, i) => inserts.BatchCommands[i].RecordsAffected > 0).Select(row => row.Item).ToArray();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ItemRecord>> ListByEventAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await _schema.ItemsAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(SelectByEvent);
        command.Parameters.With("@project_id", projectId).With("@event_id", eventId);
        var items = new List<ItemRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(StoreRows.Item(reader, withIssue: false));
        }

        return items;
    }

    /// <inheritdoc />
    public Task<ItemPage> ListFeedbackAsync(long projectId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        PageAsync(SelectFeedback, projectId, null, limit, cursor, cancellationToken);

    /// <inheritdoc />
    public Task<ItemPage> ListFeedbackByIssueAsync(long projectId, long issueId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        PageAsync(SelectFeedbackByIssue, projectId, issueId, limit, cursor, cancellationToken);

    /// <inheritdoc />
    public async Task<AttachmentContent?> GetAttachmentAsync(long projectId, string eventId, long attachmentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await _schema.ItemsAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(SelectAttachment);
        command.Parameters.With("@id", attachmentId).With("@project_id", projectId).With("@event_id", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var item = StoreRows.Item(reader, withIssue: false);
        var encoding = reader.GetString(ColumnCount);
        var payload = reader.GetFieldValue<byte[]>(ColumnCount + 1);
        var data = encoding == PreparedItems.EncodingBrotli ? EventPayload.Decompress(payload, item.StoredSize) : payload;
        return new AttachmentContent(item, data);
    }

    // Arguments are checked at the call (not in the task), as the SQLite store does.
    private Task<ItemPage> PageAsync(string sql, long projectId, long? issueId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var before = string.IsNullOrEmpty(cursor) ? long.MaxValue : StoreCursor.Decode(cursor, CursorTag).Number;
        return PageAsync(sql, projectId, issueId, limit, before, cancellationToken);
    }

    private async Task<ItemPage> PageAsync(string sql, long projectId, long? issueId, int limit, long before, CancellationToken cancellationToken)
    {
        await _schema.ItemsAsync(cancellationToken).ConfigureAwait(false);

        // One extra row tells whether a next page exists.
        await using var command = _database.DataSource.CreateCommand(sql);
        command.Parameters.With("@project_id", projectId).With("@before", before).With("@limit", limit + 1);
        if (issueId is { } issue)
        {
            command.Parameters.With("@issue_id", issue);
        }

        var items = new List<ItemRecord>(Math.Min(limit + 1, 101));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(StoreRows.Item(reader, withIssue: true));
            }
        }

        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = new StoreCursor(CursorTag, items[^1].Id, "").Encode();
        }

        return new ItemPage(items, next);
    }
}
