using Grains.Monitoring.Events;
using Grains.Streaming;
using Orleans.Streams;

namespace Grains.Monitoring.Pipeline;

/// <summary>
/// Publishes through the Orleans stream provider <see cref="IngestStream.ProviderName"/> (used for
/// <c>Grains:Streams:Provider=eventhubs</c>): each event is its own <c>OnNextAsync</c>, awaited, which
/// for Event Hubs completes once the hub accepted the event.
/// </summary>
/// <remarks>
/// One event per message rather than <c>OnNextBatchAsync</c>: Event Hubs gives one sequence number per
/// message, and the issue grain and the event store tell a redelivery from a new event by that number;
/// items of one batch would share it. Events of one stream are sent one after another, so they keep
/// their order in the hub's partition; different streams are sent concurrently.
/// </remarks>
public sealed class OrleansStreamIngestProducer(IClusterClient client) : IIngestStreamProducer
{
    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<DurableLogMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        var provider = client.GetStreamProvider(IngestStream.ProviderName);
        return Task.WhenAll(messages
            .GroupBy(message => message.Stream)
            .Select(stream => PublishInOrderAsync(provider.GetStream<byte[]>(stream.Key), stream, cancellationToken)));
    }

    private static async Task PublishInOrderAsync(IAsyncStream<byte[]> stream, IEnumerable<DurableLogMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await stream.OnNextAsync(message.Payload.ToArray());
        }
    }
}
