using System.Diagnostics;

namespace Grains.Streaming;

/// <summary>
/// The producer side of a durable-log stream provider: appends items straight to the log, in the
/// partition of their stream, and completes when they are durable. The ingest edge acknowledges an
/// event after this returns; an implicit subscriber receives it from the queue. Resolve it with
/// <c>GetRequiredKeyedService&lt;DurableLogStreamProducer&gt;(providerName)</c>.
/// </summary>
/// <remarks>
/// One call is one append (one transaction). Group commit across concurrent callers is the log's
/// business (the SQLite writer already groups); this type adds no queue of its own.
/// </remarks>
public sealed class DurableLogStreamProducer
{
    private readonly IDurableLog _log;
    private readonly int _queueCount;
    private readonly KeyValuePair<string, object?> _providerTag;

    /// <summary>Creates the producer of the provider <paramref name="providerName"/> over <paramref name="log"/> with <paramref name="queueCount"/> partitions.</summary>
    public DurableLogStreamProducer(string providerName, IDurableLog log, int queueCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCount);
        ProviderName = providerName;
        _log = log;
        _queueCount = queueCount;
        _providerTag = new("provider", providerName);
    }

    /// <summary>The stream provider's name.</summary>
    public string ProviderName { get; }

    /// <summary>Appends <paramref name="messages"/> durably in one transaction; completes when they are durable.</summary>
    public async Task AppendAsync(IReadOnlyList<DurableLogMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        using var activity = StreamingInstruments.Source.StartActivity("durable log append", ActivityKind.Producer);
        activity?.SetTag("grains.streaming.items", messages.Count);

        // Every record carries the append's context (or the caller's, when only the caller is traced):
        // the consumer's span for it becomes its child, in the same trace. Null when no one listens.
        var trace = LogTraceContext.From(activity ?? Activity.Current);
        var records = new LogRecord[messages.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var stream = messages[i].Stream;
            records[i] = new LogRecord(DurableLogStreamQueueMapper.GetPartition(stream, _queueCount), stream, messages[i].Payload, trace)
            {
                PayloadHandedOver = messages[i].PayloadHandedOver,
            };
        }

        await _log.AppendAsync(records, cancellationToken);
        StreamingInstruments.ItemsAppended.Add(records.Length, _providerTag);
    }
}
