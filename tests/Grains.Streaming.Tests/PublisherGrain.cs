using Orleans.Runtime;

namespace Grains.Streaming.Tests;

/// <summary>Publishes through Orleans' own stream API (the adapter's QueueMessageBatchAsync).</summary>
public sealed class PublisherGrain : Grain, IPublisherGrain
{
    public Task PublishAsync(string key, byte[] payload) =>
        this.GetStreamProvider(StreamTests.Provider).GetStream<byte[]>(StreamId.Create(StreamTests.Namespace, key)).OnNextAsync(payload);

    public Task PublishTextAsync(string key, string payload) =>
        this.GetStreamProvider(StreamTests.Provider).GetStream<string>(StreamId.Create(StreamTests.Namespace, key)).OnNextAsync(payload);
}
