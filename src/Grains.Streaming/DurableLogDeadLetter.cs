using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>One item set aside by an <see cref="IDurableLogDeadLetterStore"/>, as read back for inspection or replay.</summary>
/// <param name="Id">The row's id: ascending in the order items were set aside (page with it).</param>
/// <param name="ProviderName">The stream provider.</param>
/// <param name="Partition">The log partition.</param>
/// <param name="Stream">The stream whose consumer failed.</param>
/// <param name="SubscriptionId">The failing subscription.</param>
/// <param name="Offset">The item's log offset (the failed container's first offset when its items were not known).</param>
/// <param name="Payload">The item as appended; <c>null</c> when the failure came without its items.</param>
/// <param name="Error">Why it failed, when known.</param>
/// <param name="FailedAt">When it failed.</param>
public sealed record DurableLogDeadLetter(
    long Id,
    string ProviderName,
    int Partition,
    StreamId Stream,
    Guid SubscriptionId,
    long Offset,
    byte[]? Payload,
    string? Error,
    DateTimeOffset FailedAt);
