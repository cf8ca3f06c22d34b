using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// The Orleans queue adapter of a durable-log stream provider: creates one receiver per queue
/// (partition) and lets Orleans producers (<c>IAsyncStream&lt;byte[]&gt;.OnNextAsync</c>) append
/// through the same <see cref="DurableLogStreamProducer"/> as the ingest edge.
/// </summary>
internal sealed class DurableLogQueueAdapter : IQueueAdapter
{
    private readonly DurableLogQueueAdapterFactory _factory;
    private readonly DurableLogStreamProducer _producer;

    public DurableLogQueueAdapter(DurableLogQueueAdapterFactory factory, DurableLogStreamProducer producer)
    {
        _factory = factory;
        _producer = producer;
    }

    public string Name => _factory.Name;

    /// <summary>Not rewindable: implicit consumers resume from the partition checkpoint, not from a token they hold.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => _factory.CreateReceiver(queueId);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("The durable log assigns offsets itself; a producer cannot supply a sequence token.", nameof(token));
        }

        var messages = new List<DurableLogMessage>();
        foreach (var item in events)
        {
            var payload = item switch
            {
                byte[] bytes => bytes,
                ReadOnlyMemory<byte> memory => memory,
                _ => throw new NotSupportedException($"The durable log stream carries byte[] payloads; serialize {typeof(T)} before publishing it."),
            };
            messages.Add(new DurableLogMessage(streamId, payload));
        }

        return _producer.AppendAsync(messages);
    }
}
