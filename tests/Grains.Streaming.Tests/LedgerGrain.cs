using Orleans.Streams;
using Orleans.Streams.Core;

namespace Grains.Streaming.Tests;

/// <summary>
/// The consumer form the provider is built for: an implicit subscriber taking batches of
/// <c>byte[]</c>, applying each item once by its offset (stored with the state, here the ledger).
/// </summary>
[ImplicitStreamSubscription(StreamTests.Namespace)]
public sealed class LedgerGrain(Ledger ledger) : Grain, ILedgerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    public Task OnNextAsync(IList<SequentialItem<byte[]>> items) => ledger.ApplyAsync(this.GetPrimaryKeyString(), items);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        ledger.RecordError();
        return Task.CompletedTask;
    }
}
