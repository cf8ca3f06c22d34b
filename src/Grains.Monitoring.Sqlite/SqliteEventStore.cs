using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IEventStore"/> in the <c>events</c> table of the shared <see cref="SqliteDatabase"/>:
/// one row per (project, event id), the JSON Brotli-compressed (by the edge, or else on the caller's
/// thread, so the single writer thread only runs SQL).
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private const string Columns = StoreRows.EventColumns;

    private const string SelectOffset = IssueBatchSql.SelectEventOffset;

    private const string SelectOne = $"SELECT {Columns} FROM events WHERE project_id = @project_id AND event_id = @event_id";

    private const string SelectFirstPage = $"""
        SELECT {Columns} FROM events WHERE issue_id = @issue_id
        ORDER BY event_timestamp DESC, event_id DESC LIMIT @limit
        """;

    private const string SelectNextPage = $"""
        SELECT {Columns} FROM events
        WHERE issue_id = @issue_id AND (event_timestamp < @timestamp OR (event_timestamp = @timestamp AND event_id < @event_id))
        ORDER BY event_timestamp DESC, event_id DESC LIMIT @limit
        """;

    private const string SelectLatest = $"SELECT {Columns} FROM events WHERE issue_id = @issue_id ORDER BY event_timestamp DESC, event_id DESC LIMIT 1";

    private const string SelectOldest = $"SELECT {Columns} FROM events WHERE issue_id = @issue_id ORDER BY event_timestamp, event_id LIMIT 1";

    private const string SelectTimestamp = "SELECT event_timestamp FROM events WHERE issue_id = @issue_id AND event_id = @event_id";

    private const string SelectPrevious = """
        SELECT event_id FROM events
        WHERE issue_id = @issue_id AND (event_timestamp < @timestamp OR (event_timestamp = @timestamp AND event_id < @event_id))
        ORDER BY event_timestamp DESC, event_id DESC LIMIT 1
        """;

    private const string SelectNext = """
        SELECT event_id FROM events
        WHERE issue_id = @issue_id AND (event_timestamp > @timestamp OR (event_timestamp = @timestamp AND event_id > @event_id))
        ORDER BY event_timestamp, event_id LIMIT 1
        """;

    private const string DeleteIssue = "DELETE FROM events WHERE issue_id = @issue_id";

    private const string CursorTag = "e";

    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteEventStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<EventAppendResult> AppendAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        var (payload, size) = EventPayload.ForAppend(storedEvent);
        return _database.WriteAsync("events.append", (storedEvent, payload, size), static (connection, s) =>
        {
            var e = s.storedEvent;
            if (Insert(connection, e, s.payload, s.size))
            {
                return EventAppendResult.Stored;
            }

            var offset = (long)connection.Prepared(SelectOffset).Set("@project_id", e.ProjectId).Set("@event_id", e.EventId).ExecuteScalar()!;
            return offset == e.StreamOffset ? EventAppendResult.Redelivered : EventAppendResult.Duplicate;
        }, cancellationToken);
    }

    /// <summary>Inserts one event row on the writer connection; false when the project already has its id.</summary>
    internal static bool Insert(SqliteConnection connection, StoredEvent e, byte[] payload, long size) =>
        connection.Prepared(IssueBatchSql.InsertEvent)
            .Set("@project_id", e.ProjectId)
            .Set("@event_id", e.EventId)
            .Set("@issue_id", e.IssueId)
            .Set("@event_timestamp", StoreTime.ToMicroseconds(e.Timestamp))
            .Set("@received", StoreTime.ToMicroseconds(e.Received))
            .Set("@stream_offset", e.StreamOffset)
            .Set("@title", e.Title)
            .Set("@message", e.Message)
            .Set("@platform", e.Platform)
            .Set("@event_type", e.Type)
            .Set("@payload_size", size)
            .Set("@payload", payload)
            .ExecuteNonQuery() == 1;

    /// <inheritdoc />
    public Task<StoredEvent?> GetAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((projectId, eventId), static (connection, s) =>
            ReadOne(connection.Prepared(SelectOne).Set("@project_id", s.projectId).Set("@event_id", s.eventId))));
    }

    /// <inheritdoc />
    public Task<EventPage> ListByIssueAsync(long issueId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var after = string.IsNullOrEmpty(cursor) ? (StoreCursor?)null : StoreCursor.Decode(cursor, CursorTag);
        return Task.FromResult(_database.Read((issueId, limit, after), static (connection, s) =>
        {
            SqliteCommand command;
            if (s.after is { } position)
            {
                command = connection.Prepared(SelectNextPage).Set("@timestamp", position.Number).Set("@event_id", position.Text);
            }
            else
            {
                command = connection.Prepared(SelectFirstPage);
            }

            // One extra row tells whether a next page exists.
            command.Set("@issue_id", s.issueId).Set("@limit", s.limit + 1);
            var events = new List<StoredEvent>(Math.Min(s.limit + 1, 101));
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    events.Add(StoreRows.Event(reader));
                }
            }

            string? next = null;
            if (events.Count > s.limit)
            {
                events.RemoveAt(s.limit);
                var last = events[^1];
                next = new StoreCursor(CursorTag, StoreTime.ToMicroseconds(last.Timestamp), last.EventId).Encode();
            }

            return new EventPage(events, next);
        }));
    }

    /// <inheritdoc />
    public Task<StoredEvent?> GetEdgeAsync(long issueId, bool latest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((issueId, latest), static (connection, s) =>
            ReadOne(connection.Prepared(s.latest ? SelectLatest : SelectOldest).Set("@issue_id", s.issueId))));
    }

    /// <inheritdoc />
    public Task<(string? Previous, string? Next)> GetNeighborsAsync(long issueId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((issueId, eventId), static (connection, s) =>
        {
            if (connection.Prepared(SelectTimestamp).Set("@issue_id", s.issueId).Set("@event_id", s.eventId).ExecuteScalar() is not long timestamp)
            {
                return ((string?)null, (string?)null);
            }

            var previous = connection.Prepared(SelectPrevious).Set("@issue_id", s.issueId).Set("@timestamp", timestamp).Set("@event_id", s.eventId).ExecuteScalar() as string;
            var next = connection.Prepared(SelectNext).Set("@issue_id", s.issueId).Set("@timestamp", timestamp).Set("@event_id", s.eventId).ExecuteScalar() as string;
            return (previous, next);
        }));
    }

    /// <inheritdoc />
    public Task DeleteByIssueAsync(long issueId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("events.delete", issueId, static (connection, id) => connection.Prepared(DeleteIssue).Set("@issue_id", id).ExecuteNonQuery(), cancellationToken);

    private static StoredEvent? ReadOne(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoreRows.Event(reader) : null;
    }
}
