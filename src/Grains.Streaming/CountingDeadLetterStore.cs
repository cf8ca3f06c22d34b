namespace Grains.Streaming;

/// <summary>
/// Wraps the dead-letter store a provider is configured with, so every item set aside is counted in
/// <c>grains.streaming.dead_lettered</c> whoever sets it aside: Orleans' failure path or a consumer
/// grain with a poison item. Counted only once the store said the items are durable.
/// </summary>
internal sealed class CountingDeadLetterStore(IDurableLogDeadLetterStore inner) : IDurableLogDeadLetterStore
{
    public async Task<bool> SetAsideAsync(DurableLogDeliveryFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var stored = await inner.SetAsideAsync(failure, cancellationToken).ConfigureAwait(false);
        if (stored && failure.Container is { } container)
        {
            StreamingInstruments.DeadLettered.Add(
                container.Offsets.Length,
                new KeyValuePair<string, object?>("provider", failure.ProviderName),
                new KeyValuePair<string, object?>("partition", failure.Partition),
                new KeyValuePair<string, object?>("source", failure.Error == DurableLogStreamFailureHandler.RetriesExhausted ? "retries_exhausted" : "consumer"));
        }

        return stored;
    }
}
