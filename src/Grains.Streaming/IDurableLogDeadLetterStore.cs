namespace Grains.Streaming;

/// <summary>
/// Where a durable-log stream provider sets aside a delivery that Orleans gave up on (after
/// <see cref="DurableLogStreamOptions.MaxDeliveryRetryTime"/>). Registered per provider name with
/// <c>UseDeadLetterStore</c>; without one, failed items are held below the checkpoint.
/// </summary>
/// <remarks>
/// Orleans moves its cursor past a failed container; the provider never lets the checkpoint follow
/// silently. Until a store has taken the items durably, the partition's checkpoint stays below them,
/// so they are delivered again when the queue next starts (after a restart or a hand-over).
/// Poison items (failing every time) are better caught per item in the consumer grain, which can
/// dead-letter one event and apply the rest; this store is for what escapes that.
/// </remarks>
public interface IDurableLogDeadLetterStore
{
    /// <summary>
    /// Stores the failed delivery durably. Return <c>true</c> once it is durable: the checkpoint may
    /// then pass its items. Return <c>false</c> (or throw) to keep them held below the checkpoint.
    /// </summary>
    Task<bool> SetAsideAsync(DurableLogDeliveryFailure failure, CancellationToken cancellationToken = default);
}
