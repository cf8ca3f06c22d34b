namespace Grains.Monitoring.Storage;

/// <summary>
/// The issue grain's durable path: one read to tell which of a batch's event ids are already stored,
/// and one atomic write per delivered batch (events, snapshot and workflow in one transaction).
/// </summary>
public interface IIssueBatchStore
{
    /// <summary>
    /// The stream offset each of <paramref name="eventIds"/> was stored from, for the ids the project
    /// already has (absent ids are not in the result).
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> GetEventOffsetsAsync(long projectId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits <paramref name="write"/> atomically: every event row (an id the project already has is
    /// left as it is), the snapshot (its deltas only when its offset is new for the issue) and the
    /// workflow part, or none of them. Durable on completion.
    /// </summary>
    Task CommitAsync(IssueBatchWrite write, CancellationToken cancellationToken = default);
}
