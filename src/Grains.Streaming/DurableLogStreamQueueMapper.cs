using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// Maps a stream onto its log partition and the partition onto its Orleans queue (queue
/// <c>i</c> reads partition <c>i</c>). The partition of a stream is FNV-1a 64 over the UTF-8 bytes
/// of its namespace, a zero byte and its key, modulo the queue count: the producer and every silo
/// compute it alike, and it does not depend on Orleans' internal hash, so an Orleans upgrade cannot
/// move a stream to another partition (which would break per-stream order and offset dedup).
/// </summary>
/// <remarks>
/// Queue ids and their ring positions are Orleans' own (<see cref="HashRingBasedStreamQueueMapper"/>),
/// so Orleans' consistent-ring balancer spreads the queues over the silos as usual.
/// </remarks>
public sealed class DurableLogStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private readonly HashRingBasedStreamQueueMapper _ring;
    private readonly QueueId[] _queues;

    /// <summary>Creates the mapper for <paramref name="queueCount"/> partitions of the provider <paramref name="providerName"/>.</summary>
    public DurableLogStreamQueueMapper(int queueCount, string providerName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCount);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        _ring = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = queueCount }, providerName);
        _queues = [.. _ring.GetAllQueues().OrderBy(queue => queue.GetNumericId())];
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].GetNumericId() != i)
            {
                throw new InvalidOperationException($"Orleans numbered the queues of '{providerName}' unexpectedly: queue {i} is {_queues[i]}.");
            }
        }
    }

    /// <summary>The number of partitions (queues).</summary>
    public int QueueCount => _queues.Length;

    /// <summary>The partition of <paramref name="stream"/> among <paramref name="queueCount"/>; stable forever.</summary>
    public static int GetPartition(StreamId stream, int queueCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCount);
        var hash = OffsetBasis;
        foreach (var b in stream.Namespace.Span)
        {
            hash = (hash ^ b) * Prime;
        }

        hash *= Prime; // the zero separator: (hash ^ 0) * Prime
        foreach (var b in stream.Key.Span)
        {
            hash = (hash ^ b) * Prime;
        }

        return (int)(hash % (ulong)queueCount);
    }

    /// <summary>The partition of <paramref name="stream"/>.</summary>
    public int GetPartition(StreamId stream) => GetPartition(stream, _queues.Length);

    /// <summary>The partition a queue reads.</summary>
    public static int GetPartition(QueueId queue) => checked((int)queue.GetNumericId());

    /// <inheritdoc />
    public QueueId GetQueueForStream(StreamId streamId) => _queues[GetPartition(streamId)];

    /// <inheritdoc />
    public IEnumerable<QueueId> GetAllQueues() => _queues;

    /// <inheritdoc />
    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _ring.GetQueuesForRange(range);
}
