namespace Grains.Streaming.Tests;

public interface ILedgerGrain : IGrainWithStringKey
{
}
