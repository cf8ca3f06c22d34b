namespace Grains.Runtime.Streams;

/// <summary>
/// An in-process <see cref="IStreamLog"/> for tests: one ordered list per partition. Offsets come
/// from one counter for the whole log, so they strictly increase within each partition; setting a
/// checkpoint drops the records at or below it.
/// </summary>
/// <remarks>A checkpoint never moves backwards: a lower value than the stored one is ignored.</remarks>
public sealed class MemoryStreamLog : IStreamLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<StoredStreamRecord>> _partitions = [];
    private readonly Dictionary<int, long> _checkpoints = [];
    private readonly TimeProvider _timeProvider;
    private long _lastOffset;

    /// <summary>Creates an empty log that stamps records with <see cref="TimeProvider.System"/>.</summary>
    public MemoryStreamLog()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an empty log that stamps records with <paramref name="timeProvider"/>.</summary>
    public MemoryStreamLog(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<StreamRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();

        // Validate and copy everything first so a bad record leaves the log untouched (one call, one "transaction").
        var copies = new (int Partition, StreamId Stream, byte[] Payload)[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ArgumentOutOfRangeException.ThrowIfNegative(record.Partition, nameof(records));
            ArgumentNullException.ThrowIfNull(record.Stream.Namespace, nameof(records));
            ArgumentNullException.ThrowIfNull(record.Stream.Key, nameof(records));
            copies[i] = (record.Partition, record.Stream, record.Payload.ToArray());
        }

        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var (partition, stream, payload) in copies)
            {
                if (!_partitions.TryGetValue(partition, out var list))
                {
                    list = [];
                    _partitions[partition] = list;
                }

                list.Add(new StoredStreamRecord(++_lastOffset, stream, payload, now));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredStreamRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partition, out var list))
            {
                return Task.FromResult<IReadOnlyList<StoredStreamRecord>>([]);
            }

            var start = FirstAfter(list, afterOffset);
            var count = Math.Min(maxCount, list.Count - start);
            return Task.FromResult<IReadOnlyList<StoredStreamRecord>>(list.GetRange(start, count));
        }
    }

    /// <inheritdoc />
    public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_checkpoints.GetValueOrDefault(partition));
        }
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

    /// <summary>The index of the first record with an offset above <paramref name="offset"/> (the list is sorted by offset).</summary>
    private static int FirstAfter(List<StoredStreamRecord> list, long offset)
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
