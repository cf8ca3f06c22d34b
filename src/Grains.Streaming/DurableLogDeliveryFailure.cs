using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>A delivery Orleans (or the consumer) gave up on, as reported to an <see cref="IDurableLogDeadLetterStore"/>.</summary>
/// <param name="ProviderName">The stream provider.</param>
/// <param name="Partition">The log partition.</param>
/// <param name="Stream">The stream whose consumer failed.</param>
/// <param name="SubscriptionId">The failing subscription (implicit subscriptions have a fixed id per grain type).</param>
/// <param name="Offset">The offset of the failed container's first item.</param>
/// <param name="Container">The failed items, when the receiver still holds them (it does unless the queue moved meanwhile).</param>
/// <param name="FailedAt">When Orleans reported the failure (or the consumer gave up on the item).</param>
/// <param name="Error">
/// Why it failed, when known: a consumer grain that sets aside a poison item itself (a one-item
/// <paramref name="Container"/> through the provider's keyed <see cref="IDurableLogDeadLetterStore"/>)
/// passes its exception text; Orleans' failure path knows no more than that its retry horizon ran out.
/// </param>
public sealed record DurableLogDeliveryFailure(
    string ProviderName,
    int Partition,
    StreamId Stream,
    Guid SubscriptionId,
    long Offset,
    DurableLogBatchContainer? Container,
    DateTimeOffset FailedAt,
    string? Error = null);
