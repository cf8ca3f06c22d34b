using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// Handles a delivery Orleans gave up on for one queue: counts and logs it, holds the failed
/// container below the partition's checkpoint, and lets the checkpoint pass it only once the
/// dead-letter store (if any) took it durably. Nothing is skipped silently: without a store the items
/// are delivered again when the queue next starts.
/// </summary>
internal sealed partial class DurableLogStreamFailureHandler : IStreamFailureHandler
{
    /// <summary>The error text of a failure reported by Orleans: its exception stays with the consumer's <c>OnErrorAsync</c>.</summary>
    internal const string RetriesExhausted = "Orleans gave up the delivery after the provider's MaxDeliveryRetryTime (the consumer's error is in its own log).";

    private readonly string _providerName;
    private readonly QueueId _queue;
    private readonly Func<QueueId, DurableLogQueueAdapterReceiver?> _receiverOf;
    private readonly IDurableLogDeadLetterStore? _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DurableLogStreamFailureHandler(string providerName, QueueId queue, Func<QueueId, DurableLogQueueAdapterReceiver?> receiverOf, IDurableLogDeadLetterStore? deadLetters, TimeProvider time, ILogger logger)
    {
        _providerName = providerName;
        _queue = queue;
        _receiverOf = receiverOf;
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
    }

    /// <summary>Implicit subscriptions cannot be faulted; the failure is handled here instead.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    public async Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        var partition = DurableLogStreamQueueMapper.GetPartition(_queue);
        StreamingInstruments.DeliveryFailures.Add(1, new KeyValuePair<string, object?>("provider", _providerName), new KeyValuePair<string, object?>("partition", partition));
        if (sequenceToken is null)
        {
            LogFailureWithoutToken(_providerName, partition, streamIdentity);
            return;
        }

        var offset = sequenceToken.SequenceNumber;
        var receiver = _receiverOf(_queue);
        var container = receiver?.Hold(offset);
        if (_deadLetters is null)
        {
            LogHeld(_providerName, partition, streamIdentity, offset);
            return;
        }

        var failure = new DurableLogDeliveryFailure(_providerName, partition, streamIdentity, subscriptionId.Guid, offset, container, _time.GetUtcNow(), RetriesExhausted);
        try
        {
            if (await _deadLetters.SetAsideAsync(failure))
            {
                // Counted by the store's wrapper (CountingDeadLetterStore), as the consumers' own set-asides are.
                receiver?.Release(offset);

                LogSetAside(_providerName, partition, streamIdentity, offset, container?.Offsets.Length ?? 0);
                return;
            }

            LogHeld(_providerName, partition, streamIdentity, offset);
        }
        catch (Exception exception)
        {
            LogDeadLetterFailed(exception, _providerName, partition, streamIdentity, offset);
        }
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailure(_providerName, DurableLogStreamQueueMapper.GetPartition(_queue), streamIdentity, sequenceToken?.SequenceNumber);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Error, "Durable log stream {Provider} partition {Partition}: delivery to {Stream} failed for good at offset {Offset}; held below the checkpoint, delivered again when the queue restarts")]
    private partial void LogHeld(string provider, int partition, StreamId stream, long offset);

    [LoggerMessage(2, LogLevel.Error, "Durable log stream {Provider} partition {Partition}: delivery to {Stream} failed for good at offset {Offset}; {Items} items set aside to dead letters")]
    private partial void LogSetAside(string provider, int partition, StreamId stream, long offset, int items);

    [LoggerMessage(3, LogLevel.Error, "Durable log stream {Provider} partition {Partition}: delivery to {Stream} failed for good at offset {Offset} and the dead-letter store failed too; held below the checkpoint")]
    private partial void LogDeadLetterFailed(Exception exception, string provider, int partition, StreamId stream, long offset);

    [LoggerMessage(4, LogLevel.Error, "Durable log stream {Provider} partition {Partition}: delivery to {Stream} failed without a token; the checkpoint holds what was not delivered")]
    private partial void LogFailureWithoutToken(string provider, int partition, StreamId stream);

    [LoggerMessage(5, LogLevel.Error, "Durable log stream {Provider} partition {Partition}: subscription to {Stream} failed at offset {Offset}")]
    private partial void LogSubscriptionFailure(string provider, int partition, StreamId stream, long? offset);
}
