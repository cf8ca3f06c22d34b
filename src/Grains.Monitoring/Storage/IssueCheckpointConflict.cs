using System.Globalization;
using Orleans.Storage;

namespace Grains.Monitoring.Storage;

/// <summary>
/// The failure of a stale issue checkpoint: Orleans' ETag conflict, so the runtime treats it as it treats
/// a conflicting grain-state write (the activation re-reads, or is replaced, and the batch is redelivered).
/// </summary>
public static class IssueCheckpointConflict
{
    /// <summary>The exception for a checkpoint of <paramref name="issueId"/> that expected <paramref name="expectedVersion"/> and found another.</summary>
    public static InconsistentStateException Stale(long issueId, long expectedVersion) => new(
        $"Issue {issueId}: its stored state is no longer at version {expectedVersion} (another activation wrote a newer one, or the issue was deleted); nothing of the batch was committed.",
        expectedVersion.ToString(CultureInfo.InvariantCulture),
        "unknown");
}
