namespace Grains.Streaming.Tests;

public interface IPublisherGrain : IGrainWithIntegerKey
{
    Task PublishAsync(string key, byte[] payload);

    Task PublishTextAsync(string key, string payload);
}
