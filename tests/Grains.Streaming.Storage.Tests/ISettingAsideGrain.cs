namespace Grains.Streaming.Storage.Tests;

public interface ISettingAsideGrain : IGrainWithStringKey
{
}
