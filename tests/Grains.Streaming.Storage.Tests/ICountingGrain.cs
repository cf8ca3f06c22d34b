namespace Grains.Streaming.Storage.Tests;

public interface ICountingGrain : IGrainWithStringKey
{
}
