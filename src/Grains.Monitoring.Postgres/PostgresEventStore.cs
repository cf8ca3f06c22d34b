using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IEventStore"/> in the <c>events</c> table of a shared <see cref="PostgresDatabase"/>: one
/// row per (project, event id), the JSON Brotli-compressed (by the edge, or else on the caller's thread).
/// </summary>
/// <remarks>
/// The (project, event id) uniqueness holds across silos: an append is <c>INSERT … ON CONFLICT DO
/// NOTHING</c>, which waits for a concurrent insert of the same key to commit (or roll back) before it
/// decides. When it inserted nothing, a second statement (a fresh snapshot under READ COMMITTED, so
/// it sees the row that won) reads the stored row's stream offset: the same offset is a redelivery,
/// another is a duplicate — as in the SQLite store.
/// </remarks>
public sealed class PostgresEventStore : IEventStore
{
    private const string Columns = StoreRows.EventColumns;

    private const string Insert = IssueBatchSql.InsertEvent;

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

    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the monitoring tables are created or migrated before its first operation.</summary>
    public PostgresEventStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
    }

    /// <inheritdoc />
    /// <remarks>Runs through <see cref="PostgresDatabase.ExecuteAsync{TState, T}"/>: a <c>grains.postgres.events.append</c> span under the caller's, and its metrics.</remarks>
    public async Task<EventAppendResult> AppendAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        var (payload, size) = EventPayload.ForAppend(storedEvent);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        return await _database.ExecuteAsync("events.append", (storedEvent, payload, size), InsertEventAsync, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<EventAppendResult> InsertEventAsync(NpgsqlConnection connection, (StoredEvent Event, byte[] Payload, long Size) append, CancellationToken cancellationToken)
    {
        var (e, payload, size) = append;
        while (true)
        {
            await using (var insert = new NpgsqlCommand(Insert, connection))
            {
                insert.Parameters
                    .With("@project_id", e.ProjectId)
                    .With("@event_id", e.EventId)
                    .With("@issue_id", e.IssueId)
                    .With("@event_timestamp", StoreTime.ToMicroseconds(e.Timestamp))
                    .With("@received", StoreTime.ToMicroseconds(e.Received))
                    .With("@stream_offset", e.StreamOffset)
                    .With("@title", e.Title)
                    .With("@message", e.Message)
                    .With("@platform", e.Platform)
                    .With("@event_type", e.Type)
                    .With("@payload_size", size)
                    .With("@payload", payload);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return EventAppendResult.Stored;
                }
            }

            await using var select = new NpgsqlCommand(SelectOffset, connection);
            select.Parameters.With("@project_id", e.ProjectId).With("@event_id", e.EventId);
            if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long offset)
            {
                return offset == e.StreamOffset ? EventAppendResult.Redelivered : EventAppendResult.Duplicate;
            }

            // The conflicting row was deleted (its issue was) between the two statements: try again.
        }
    }

    /// <inheritdoc />
    public async Task<StoredEvent?> GetAsync(long projectId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(SelectOne);
        command.Parameters.With("@project_id", projectId).With("@event_id", eventId);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<EventPage> ListByIssueAsync(long issueId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        // Arguments are checked at the call (not in the task), as the SQLite store does.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = string.IsNullOrEmpty(cursor) ? (StoreCursor?)null : StoreCursor.Decode(cursor, CursorTag);
        return ListByIssueAsync(issueId, limit, after, cancellationToken);
    }

    private async Task<EventPage> ListByIssueAsync(long issueId, int limit, StoreCursor? after, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(after is null ? SelectFirstPage : SelectNextPage);
        if (after is { } position)
        {
            command.Parameters.With("@timestamp", position.Number).With("@event_id", position.Text);
        }

        // One extra row tells whether a next page exists.
        command.Parameters.With("@issue_id", issueId).With("@limit", limit + 1);
        var events = new List<StoredEvent>(Math.Min(limit + 1, 101));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(StoreRows.Event(reader));
            }
        }

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
    public async Task<StoredEvent?> GetEdgeAsync(long issueId, bool latest, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(latest ? SelectLatest : SelectOldest);
        command.Parameters.With("@issue_id", issueId);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<(string? Previous, string? Next)> GetNeighborsAsync(long issueId, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long timestamp;
        await using (var select = new NpgsqlCommand(SelectTimestamp, connection))
        {
            select.Parameters.With("@issue_id", issueId).With("@event_id", eventId);
            if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long found)
            {
                return (null, null);
            }

            timestamp = found;
        }

        return (await NeighborAsync(SelectPrevious), await NeighborAsync(SelectNext));

        async Task<string?> NeighborAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.With("@issue_id", issueId).With("@timestamp", timestamp).With("@event_id", eventId);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    /// <inheritdoc />
    public async Task DeleteByIssueAsync(long issueId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(DeleteIssue);
        command.Parameters.With("@issue_id", issueId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StoredEvent?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.Event(reader) : null;
    }
}
