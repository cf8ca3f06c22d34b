using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Grains.Streaming.Storage.Tests;

/// <summary>
/// A consumer that handles a poison item itself, as the issue grain will: it sets the one item aside
/// with its error through the provider's keyed dead-letter store and applies the rest, so the call
/// completes and the queue moves on.
/// </summary>
[ImplicitStreamSubscription(SqliteDeadLetterClusterTests.Namespace)]
public sealed class SettingAsideGrain(CountingLedger ledger, IServiceProvider services) : Grain, ISettingAsideGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
{
    private StreamId _stream;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        _stream = handleFactory.StreamId;
        return handleFactory.Create<byte[]>().ResumeAsync(this);
    }

    public async Task OnNextAsync(IList<SequentialItem<byte[]>> items)
    {
        var good = new List<SequentialItem<byte[]>>();
        foreach (var item in items)
        {
            try
            {
                if (Encoding.UTF8.GetString(item.Item).EndsWith(":poison", StringComparison.Ordinal))
                {
                    throw new InvalidDataException("cannot apply a poison item");
                }

                good.Add(item);
            }
            catch (InvalidDataException exception)
            {
                var provider = SqliteDeadLetterClusterTests.Provider;
                var queues = services.GetRequiredService<IOptionsMonitor<DurableLogStreamOptions>>().Get(provider).QueueCount;
                var partition = DurableLogStreamQueueMapper.GetPartition(_stream, queues);
                var offset = item.Token.SequenceNumber;
                var failure = new DurableLogDeliveryFailure(
                    provider, partition, _stream, Guid.Empty, offset,
                    new DurableLogBatchContainer(_stream, partition, [offset], [item.Item]),
                    DateTimeOffset.UtcNow, exception.ToString());
                if (!await services.GetRequiredKeyedService<IDurableLogDeadLetterStore>(provider).SetAsideAsync(failure))
                {
                    throw; // not durable anywhere: fail the call, Orleans retries it
                }
            }
        }

        ledger.Apply(this.GetPrimaryKeyString(), good);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
