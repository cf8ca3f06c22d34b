namespace Grains.Monitoring.Storage;

/// <summary>Every accepted event, compressed, unique per (project, event id), indexed by (issue, timestamp).</summary>
public interface IEventStore
{
    /// <summary>Stores an event unless the project already has its id (see <see cref="EventAppendResult"/>). Durable on completion.</summary>
    Task<EventAppendResult> AppendAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default);

    /// <summary>An event by id, or null.</summary>
    Task<StoredEvent?> GetAsync(long projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>An issue's events, newest first; <paramref name="cursor"/> is the opaque value of a previous page's <see cref="EventPage.NextCursor"/>.</summary>
    Task<EventPage> ListByIssueAsync(long issueId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>The newest (<paramref name="latest"/>) or oldest event of an issue.</summary>
    Task<StoredEvent?> GetEdgeAsync(long issueId, bool latest, CancellationToken cancellationToken = default);

    /// <summary>The ids of the events before and after <paramref name="eventId"/> within its issue, by timestamp.</summary>
    Task<(string? Previous, string? Next)> GetNeighborsAsync(long issueId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Deletes an issue's events.</summary>
    Task DeleteByIssueAsync(long issueId, CancellationToken cancellationToken = default);
}
