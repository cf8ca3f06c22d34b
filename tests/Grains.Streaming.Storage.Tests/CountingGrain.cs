using Orleans.Streams;
using Orleans.Streams.Core;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The consumer the ingest stream is built for: an implicit subscriber taking batches of <c>byte[]</c>, applying each item once by offset.</summary>
[ImplicitStreamSubscription(SqliteLogClusterTests.Namespace)]
public sealed class CountingGrain(CountingLedger ledger) : Grain, ICountingGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    public Task OnNextAsync(IList<SequentialItem<byte[]>> items)
    {
        ledger.Apply(this.GetPrimaryKeyString(), items);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
