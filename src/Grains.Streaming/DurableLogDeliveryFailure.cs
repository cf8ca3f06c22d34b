using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>A delivery Orleans gave up on, as reported to an <see cref="IDurableLogDeadLetterStore"/>.</summary>
/// <param name="ProviderName">The stream provider.</param>
/// <param name="Partition">The log partition.</param>
/// <param name="Stream">The stream whose consumer failed.</param>
/// <param name="SubscriptionId">The failing subscription (implicit subscriptions have a fixed id per grain type).</param>
/// <param name="Offset">The offset of the failed container's first item.</param>
/// <param name="Container">The failed items, when the receiver still holds them (it does unless the queue moved meanwhile).</param>
/// <param name="FailedAt">When Orleans reported the failure.</param>
public sealed record DurableLogDeliveryFailure(
    string ProviderName,
    int Partition,
    StreamId Stream,
    Guid SubscriptionId,
    long Offset,
    DurableLogBatchContainer? Container,
    DateTimeOffset FailedAt)
{
    /// <summary>Why the items failed, when the one setting them aside knows (a consumer grain does; Orleans' failure path does not).</summary>
    public string? Error { get; init; }
}
