using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>
/// An in-process <see cref="IDurableLog"/> for tests: one ordered list per partition. Offsets come
/// from one counter for the whole log, so they strictly increase within each partition; setting a
/// checkpoint drops the records at or below it. It outlives the silos that read it, so a test can
/// stop or kill a cluster and start another one on the same log.
/// </summary>
public sealed class MemoryDurableLog : IDurableLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<StoredLogRecord>> _partitions = [];
    private readonly Dictionary<int, long> _checkpoints = [];
    private readonly Dictionary<int, long> _reads = [];
    private readonly TimeProvider _timeProvider;
    private long _lastOffset;

    /// <summary>Creates an empty log that stamps records with <see cref="TimeProvider.System"/>.</summary>
    public MemoryDurableLog()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an empty log that stamps records with <paramref name="timeProvider"/>.</summary>
    public MemoryDurableLog(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();

        // Validate and copy everything first so a bad record leaves the log untouched (one call, one "transaction").
        var copies = new (int Partition, StreamId Stream, byte[] Payload, LogTraceContext? Trace)[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(records[i].Partition, nameof(records));
            StreamText.Key(records[i].Stream, nameof(records));
            copies[i] = (records[i].Partition, records[i].Stream, records[i].Payload.ToArray(), records[i].Trace);
        }

        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var (partition, stream, payload, trace) in copies)
            {
                if (!_partitions.TryGetValue(partition, out var list))
                {
                    list = [];
                    _partitions[partition] = list;
                }

                list.Add(new StoredLogRecord(++_lastOffset, stream, payload, now, trace));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _reads[partition] = _reads.GetValueOrDefault(partition) + 1;
            if (!_partitions.TryGetValue(partition, out var list))
            {
                return Task.FromResult<IReadOnlyList<StoredLogRecord>>([]);
            }

            var start = FirstAfter(list, afterOffset);
            var count = Math.Min(maxCount, list.Count - start);
            return Task.FromResult<IReadOnlyList<StoredLogRecord>>(list.GetRange(start, count));
        }
    }

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(GetCheckpoint(partition));
    }

    /// <inheritdoc />
    public Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var checkpoint = Math.Max(offset, _checkpoints.GetValueOrDefault(partition));
            _checkpoints[partition] = checkpoint;
            if (_partitions.TryGetValue(partition, out var list))
            {
                list.RemoveRange(0, FirstAfter(list, checkpoint));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The partition's checkpoint (0 when none), read without a task.</summary>
    public long GetCheckpoint(int partition)
    {
        lock (_lock)
        {
            return _checkpoints.GetValueOrDefault(partition);
        }
    }

    /// <summary>How many times <see cref="ReadAsync"/> was called for the partition: a test waits for reads to pass instead of sleeping.</summary>
    public long GetReadCount(int partition)
    {
        lock (_lock)
        {
            return _reads.GetValueOrDefault(partition);
        }
    }

    /// <summary>The index of the first record with an offset above <paramref name="offset"/> (the list is sorted by offset).</summary>
    private static int FirstAfter(List<StoredLogRecord> list, long offset)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (list[middle].Offset <= offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
