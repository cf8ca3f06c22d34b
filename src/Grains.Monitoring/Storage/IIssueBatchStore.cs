namespace Grains.Monitoring.Storage;

/// <summary>
/// The issue grain's durable path: one read to tell which of a batch's event ids are already stored,
/// one atomic write per delivered batch (events, snapshot, workflow, alert firings and the grain's
/// state in one transaction), and the read of that state when the grain activates.
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
    /// workflow part, the <see cref="IssueBatchWrite.Checkpoint"/> and the <see cref="IssueBatchWrite.Firings"/>
    /// when there are, or none of them. Durable on completion.
    /// </summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">
    /// The checkpoint's expected version is not the stored one (another activation of the issue wrote
    /// since this one read, or the issue was deleted): nothing of <paramref name="write"/> was committed.
    /// </exception>
    Task CommitAsync(IssueBatchWrite write, CancellationToken cancellationToken = default);

    /// <summary>The grain state the last checkpoint of <paramref name="issueId"/> wrote, or null when none was written (a new issue, or one whose state is still in Orleans' storage).</summary>
    Task<IssueCheckpoint?> GetCheckpointAsync(long issueId, CancellationToken cancellationToken = default);
}
