using Grains.Monitoring.Events;
using Grains.Streaming;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Pipeline;

/// <summary>
/// Publishes to Grains' own durable log (<c>Grains:Streams:Provider=log</c>, the default): one append
/// of the whole envelope through the ingest provider's <see cref="DurableLogStreamProducer"/>, so the
/// log's group commit covers every event of a request in one transaction.
/// </summary>
public sealed class DurableLogIngestProducer([FromKeyedServices(IngestStream.ProviderName)] DurableLogStreamProducer producer) : IIngestStreamProducer
{
    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<DurableLogMessage> messages, CancellationToken cancellationToken) =>
        producer.AppendAsync(messages, cancellationToken);
}
