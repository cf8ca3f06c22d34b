namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IEventStore"/> in the <c>events</c> table over a backend's <see cref="StoreCommands"/>: one row per
/// (project, event id), the JSON Brotli-compressed (by the edge, or else on the caller's thread, so a single
/// writer thread only runs SQL).
/// </summary>
/// <remarks>
/// The (project, event id) uniqueness holds across writers: an append is <c>INSERT … ON CONFLICT DO NOTHING</c>,
/// which (on PostgreSQL) waits for a concurrent insert of the same key to commit or roll back before it decides.
/// When it inserted nothing, a second statement (a fresh snapshot) reads the stored row's stream offset: the same
/// offset is a redelivery, another a duplicate.
/// </remarks>
public abstract class RelationalEventStore : IEventStore
{
    private const string CursorTag = "e";

    private readonly StoreCommands _commands;

    protected RelationalEventStore(StoreCommands commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
    }

    /// <inheritdoc />
    public Task<EventAppendResult> AppendAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        var (payload, size) = EventPayload.ForAppend(storedEvent);
        return AppendAsync(storedEvent, EventSql.Insert(storedEvent, payload, size), cancellationToken);
    }

    private async Task<EventAppendResult> AppendAsync(StoredEvent e, SqlStatement insert, CancellationToken cancellationToken)
    {
        var offsetOf = new SqlStatement(IssueBatchSql.SelectEventOffset, [("@project_id", e.ProjectId), ("@event_id", e.EventId)]);
        while (true)
        {
            if (await _commands.ExecuteAsync("events.append", insert, cancellationToken).ConfigureAwait(false) == 1)
            {
                return EventAppendResult.Stored;
            }

            if (await _commands.ScalarAsync(offsetOf, cancellationToken).ConfigureAwait(false) is long offset)
            {
                return offset == e.StreamOffset ? EventAppendResult.Redelivered : EventAppendResult.Duplicate;
            }

            // The conflicting row was deleted (its issue was) between the two statements: try again.
        }
    }

    /// <inheritdoc />
    public Task<StoredEvent?> GetAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return _commands.QueryOneAsync(new(EventSql.SelectOne, [("@project_id", projectId), ("@event_id", eventId)]), StoreRows.Event, cancellationToken);
    }

    /// <inheritdoc />
    public Task<EventPage> ListByIssueAsync(long issueId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        // Arguments are checked at the call, not in the task.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = string.IsNullOrEmpty(cursor) ? (StoreCursor?)null : StoreCursor.Decode(cursor, CursorTag);

        // One extra row tells whether a next page exists.
        var statement = after is { } position
            ? new SqlStatement(EventSql.SelectNextPage,
                [("@issue_id", issueId), ("@timestamp", position.Number), ("@event_id", position.Text), ("@limit", limit + 1)])
            : new SqlStatement(EventSql.SelectFirstPage, [("@issue_id", issueId), ("@limit", limit + 1)]);
        return ListAsync(statement, limit, cancellationToken);
    }

    private async Task<EventPage> ListAsync(SqlStatement statement, int limit, CancellationToken cancellationToken)
    {
        var events = await _commands.QueryAsync(statement, StoreRows.Event, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (events.Count > limit)
        {
            events.RemoveAt(limit);
            var last = events[^1];
            next = new StoreCursor(CursorTag, StoreTime.ToMicroseconds(last.Timestamp), last.EventId).Encode();
        }

        return new EventPage(events, next);
    }

    /// <inheritdoc />
    public Task<StoredEvent?> GetEdgeAsync(long issueId, bool latest, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(latest ? EventSql.SelectLatest : EventSql.SelectOldest, [("@issue_id", issueId)]), StoreRows.Event, cancellationToken);

    /// <inheritdoc />
    public async Task<(string? Previous, string? Next)> GetNeighborsAsync(long issueId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        var rows = await _commands.QueryAsync(new(EventSql.SelectNeighbors, [("@issue_id", issueId), ("@event_id", eventId)]),
            static r => (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return rows is [var neighbors, ..] ? neighbors : (null, null);
    }

    /// <inheritdoc />
    public async Task DeleteByIssueAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.ExecuteAsync("events.delete", new(EventSql.DeleteIssue, [("@issue_id", issueId)]), cancellationToken).ConfigureAwait(false);
}
