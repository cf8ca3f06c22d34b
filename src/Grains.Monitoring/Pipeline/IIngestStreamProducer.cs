using Grains.Streaming;

namespace Grains.Monitoring.Pipeline;

/// <summary>
/// How the ingest edge hands accepted events to the ingest stream (<see cref="Events.IngestStream"/>):
/// one implementation per stream provider, chosen where the provider is (<c>Grains:Streams:Provider</c>).
/// </summary>
/// <remarks>
/// The one contract: <see cref="PublishAsync"/> completes only once every message is durable in the
/// stream's store (Grains' log, or the event hub), because the edge acknowledges the events to the SDK
/// right after it. Items of one stream keep their order.
/// </remarks>
public interface IIngestStreamProducer
{
    /// <summary>Publishes <paramref name="messages"/>; completes when all are durable, throws when any is not.</summary>
    Task PublishAsync(IReadOnlyList<DurableLogMessage> messages, CancellationToken cancellationToken);
}
