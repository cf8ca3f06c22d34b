using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Storage;

/// <summary>
/// What an issue grain writes for one delivered batch, committed together by
/// <see cref="IIssueBatchStore.CommitAsync"/>: the batch's new event rows, the issue's snapshot (with
/// the tag and hourly deltas its offset claims), when the batch changed any, the workflow part, the
/// grain's state (the checkpoint), and the alert firings the batch decided.
/// </summary>
/// <param name="Events">The events to insert: new to the project (a redelivered or duplicate one is not here).</param>
/// <param name="Snapshot">The issue's snapshot; its <see cref="IssueSnapshot.StreamOffset"/> claims the deltas.</param>
/// <param name="Workflow">Releases, activities and due time, or null when the batch wrote none.</param>
/// <param name="Checkpoint">
/// The grain's state with the batch's last offset, written in the issue's row over the version the grain
/// read (the commit fails with <c>InconsistentStateException</c> and writes nothing when the stored version
/// moved on); null writes the snapshot without a state and without the check.
/// </param>
/// <param name="Firings">The batch's alert firings for the outbox, or null when it decided none.</param>
public sealed record IssueBatchWrite(IReadOnlyList<StoredEvent> Events, IssueSnapshot Snapshot, WorkflowWrite? Workflow, IssueCheckpoint? Checkpoint = null, IssueBatchFirings? Firings = null);
