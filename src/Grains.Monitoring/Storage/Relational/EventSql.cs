namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The read statements of the event store (<see cref="IEventStore"/>), the same on SQLite and PostgreSQL;
/// the row insert and offset lookup are <see cref="IssueBatchSql"/>'s (the issue batch commit writes them too).
/// An issue's events are ordered by (timestamp, event id), newest first.
/// </summary>
public static class EventSql
{
    public const string SelectOne = $"SELECT {StoreRows.EventColumns} FROM events WHERE project_id = @project_id AND event_id = @event_id";

    public const string SelectFirstPage = $"""
        SELECT {StoreRows.EventColumns} FROM events WHERE issue_id = @issue_id
        ORDER BY event_timestamp DESC, event_id DESC LIMIT @limit
        """;

    public const string SelectNextPage = $"""
        SELECT {StoreRows.EventColumns} FROM events
        WHERE issue_id = @issue_id AND (event_timestamp < @timestamp OR (event_timestamp = @timestamp AND event_id < @event_id))
        ORDER BY event_timestamp DESC, event_id DESC LIMIT @limit
        """;

    public const string SelectLatest = $"SELECT {StoreRows.EventColumns} FROM events WHERE issue_id = @issue_id ORDER BY event_timestamp DESC, event_id DESC LIMIT 1";

    public const string SelectOldest = $"SELECT {StoreRows.EventColumns} FROM events WHERE issue_id = @issue_id ORDER BY event_timestamp, event_id LIMIT 1";

    /// <summary>
    /// The ids of the events before and after one event of an issue, in one statement (one snapshot): no
    /// row when the issue has no such event; a NULL where there is no neighbour.
    /// </summary>
    public const string SelectNeighbors = """
        SELECT
            (SELECT e.event_id FROM events e
             WHERE e.issue_id = @issue_id AND (e.event_timestamp < t.event_timestamp OR (e.event_timestamp = t.event_timestamp AND e.event_id < @event_id))
             ORDER BY e.event_timestamp DESC, e.event_id DESC LIMIT 1),
            (SELECT e.event_id FROM events e
             WHERE e.issue_id = @issue_id AND (e.event_timestamp > t.event_timestamp OR (e.event_timestamp = t.event_timestamp AND e.event_id > @event_id))
             ORDER BY e.event_timestamp, e.event_id LIMIT 1)
        FROM (SELECT event_timestamp FROM events WHERE issue_id = @issue_id AND event_id = @event_id) t
        """;

    public const string DeleteIssue = "DELETE FROM events WHERE issue_id = @issue_id";

    /// <summary>The insert of one event row (<see cref="IssueBatchSql.InsertEvent"/>) with its values.</summary>
    public static SqlStatement Insert(StoredEvent e, byte[] payload, long size)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(IssueBatchSql.InsertEvent,
        [
            ("@project_id", e.ProjectId), ("@event_id", e.EventId), ("@issue_id", e.IssueId),
            ("@event_timestamp", StoreTime.ToMicroseconds(e.Timestamp)), ("@received", StoreTime.ToMicroseconds(e.Received)),
            ("@stream_offset", e.StreamOffset), ("@title", e.Title), ("@message", e.Message), ("@platform", e.Platform),
            ("@event_type", e.Type), ("@payload_size", size), ("@payload", payload),
        ]);
    }
}
