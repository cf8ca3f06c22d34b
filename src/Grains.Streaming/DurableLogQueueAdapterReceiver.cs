using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// Reads one partition of the log for Orleans' pulling agent of its queue. Starts after the stored
/// checkpoint, groups the records of one read per stream into one container (in order of first
/// appearance), and tracks every container handed to Orleans until its delivery completed.
/// </summary>
/// <remarks>
/// The checkpoint is the watermark below the oldest container whose delivery has not completed
/// (first offset of the oldest pending container minus one, or the last offset read when none is
/// pending): it only passes items whose grain call returned. Orleans hands completed containers to
/// <see cref="MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/> when its cache
/// releases them; containers whose delivery failed for good are never released, so they stay pending
/// and hold the checkpoint until a dead-letter store took them (<see cref="DurableLogStreamFailureHandler"/>).
/// The watermark is written at most every <see cref="DurableLogStreamOptions.CheckpointInterval"/>,
/// and at once on shutdown.
/// </remarks>
internal sealed partial class DurableLogQueueAdapterReceiver : IQueueAdapterReceiver
{
    private readonly string _providerName;
    private readonly int _partition;
    private readonly IDurableLog _log;
    private readonly DurableLogStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    // Pending containers by first offset; first offsets are unique within a partition.
    private readonly SortedDictionary<long, DurableLogBatchContainer> _pending = [];
    private readonly HashSet<long> _held = [];
    private long _read;
    private long _checkpoint;
    private long _lastSave;

    // Idle skipping (only the pulling agent's calls touch these, one at a time): the log's append
    // mark taken before the last read, whether that read left nothing behind, and when it ran.
    private readonly IDurableLogAppendSignal? _signal;
    private long? _readMark;
    private bool _caughtUp;
    private long _lastRead;

    public DurableLogQueueAdapterReceiver(string providerName, QueueId queue, IDurableLog log, DurableLogStreamOptions options, TimeProvider time, ILogger logger)
    {
        _providerName = providerName;
        Queue = queue;
        _partition = DurableLogStreamQueueMapper.GetPartition(queue);
        _log = log;
        _options = options;
        _time = time;
        _logger = logger;
        _signal = log as IDurableLogAppendSignal;
        Tags = new TagList { { "provider", providerName }, { "partition", _partition } };
    }

    /// <summary>The queue (partition) this receiver reads.</summary>
    public QueueId Queue { get; }

    internal TagList Tags { get; }

    /// <summary>The last offset read minus the checkpoint.</summary>
    internal long CheckpointLag
    {
        get
        {
            lock (_lock)
            {
                return _read - _checkpoint;
            }
        }
    }

    /// <summary>Failed containers held below the checkpoint.</summary>
    internal int HeldCount
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    public async Task Initialize(TimeSpan timeout)
    {
        var checkpoint = await _log.GetCheckpointAsync(_partition).WaitAsync(timeout);
        lock (_lock)
        {
            _read = _checkpoint = checkpoint;
            _lastSave = _time.GetTimestamp();
        }

        StreamingInstruments.Receivers.TryAdd(this, 0);
        LogStarted(_providerName, _partition, checkpoint);
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        // Also here, not only on delivery: the pump calls this every pulling period, so a watermark
        // that moved on the last delivery of a burst is written without waiting for more traffic.
        await SaveCheckpointAsync(force: false, cancellationToken);

        // Orleans' maxCount bounds the containers its cache takes (a tenth of the cache), not the items:
        // a read takes up to ReadBatchSize records and stops before the stream that would need one
        // container too many, so a hot stream still gets many items per container (one state write).
        var maxContainers = maxCount < 0 ? int.MaxValue : maxCount;
        if (maxContainers == 0)
        {
            return [];
        }

        // A caught-up partition whose log signalled no append since the last read has nothing new: skip
        // the read, except once per IdleReadInterval (a missed signal only delays). The mark is taken
        // before the read, so an append that commits during the read changes the next mark.
        var mark = _signal?.GetAppendMark(_partition);
        if (mark is not null && mark == _readMark && _caughtUp && _time.GetElapsedTime(_lastRead) < _options.IdleReadInterval)
        {
            StreamingInstruments.ReadsSkipped.Add(1, Tags);
            return [];
        }

        long after;
        lock (_lock)
        {
            after = _read;
        }

        var records = await _log.ReadAsync(_partition, after, _options.ReadBatchSize, cancellationToken);
        _readMark = mark;
        _lastRead = _time.GetTimestamp();
        _caughtUp = records.Count == 0;
        if (records.Count == 0)
        {
            return [];
        }

        using var activity = StreamingInstruments.Source.StartActivity("durable log read");
        activity?.SetTag("grains.streaming.partition", _partition);
        activity?.SetTag("grains.streaming.items", records.Count);

        var (containers, used) = Group(records, maxContainers);
        lock (_lock)
        {
            foreach (DurableLogBatchContainer container in containers)
            {
                _pending.Add(container.FirstOffset, container);
            }

            _read = records[used - 1].Offset;
        }

        // A short read taken whole leaves nothing behind; a full one or a partly taken one may.
        _caughtUp = records.Count < _options.ReadBatchSize && used == records.Count;

        StreamingInstruments.ItemsRead.Add(used, Tags);
        if (StreamingInstruments.ReadLag.Enabled)
        {
            StreamingInstruments.ReadLag.Record((_time.GetUtcNow() - records[0].AppendedAt).TotalSeconds, Tags);
        }

        return containers;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        var items = 0;
        lock (_lock)
        {
            foreach (var message in messages)
            {
                if (message is DurableLogBatchContainer container && _pending.Remove(container.FirstOffset))
                {
                    items += container.Offsets.Length;
                }
            }
        }

        StreamingInstruments.ItemsDelivered.Add(items, Tags);
        return SaveCheckpointAsync(force: false, cancellationToken);
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        try
        {
            // Orleans stops the pump without waiting for deliveries in flight: what is still pending
            // stays above the checkpoint and is read again by the queue's next owner.
            await SaveCheckpointAsync(force: true, CancellationToken.None).WaitAsync(timeout);
        }
        finally
        {
            StreamingInstruments.Receivers.TryRemove(this, out _);
            lock (_lock)
            {
                LogStopped(_providerName, _partition, _checkpoint, _read, _pending.Count);
            }
        }
    }

    /// <summary>
    /// Marks the container starting at <paramref name="firstOffset"/> as failed for good and returns it
    /// (null when it is not pending here). It stays pending: the checkpoint does not pass it.
    /// </summary>
    internal DurableLogBatchContainer? Hold(long firstOffset)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(firstOffset, out var container))
            {
                return null;
            }

            _held.Add(firstOffset);
            return container;
        }
    }

    /// <summary>Lets the checkpoint pass a held container once a dead-letter store took it.</summary>
    internal bool Release(long firstOffset)
    {
        lock (_lock)
        {
            return _held.Remove(firstOffset) && _pending.Remove(firstOffset);
        }
    }

    // Groups a prefix of the records by stream, in order of first appearance, into at most
    // maxContainers containers; returns them and how many records they hold (the prefix's length).
    private (List<IBatchContainer> Containers, int Used) Group(IReadOnlyList<StoredLogRecord> records, int maxContainers)
    {
        var order = new List<StreamId>();
        var byStream = new Dictionary<StreamId, StreamGroup>();
        var used = 0;
        foreach (var record in records)
        {
            if (!byStream.TryGetValue(record.Stream, out var group))
            {
                if (order.Count == maxContainers)
                {
                    break;
                }

                group = new StreamGroup();
                byStream.Add(record.Stream, group);
                order.Add(record.Stream);
            }

            group.Add(record.Offset, AsArray(record.Payload), record.Trace);
            used++;
        }

        var containers = new List<IBatchContainer>(order.Count);
        foreach (var stream in order)
        {
            var group = byStream[stream];
            containers.Add(new DurableLogBatchContainer(stream, _partition, [.. group.Offsets], [.. group.Payloads], group.Traces?.ToArray()));
        }

        return (containers, used);
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    private async Task SaveCheckpointAsync(bool force, CancellationToken cancellationToken)
    {
        long watermark;
        lock (_lock)
        {
            watermark = _pending.Count == 0 ? _read : _pending.Keys.First() - 1;
            if (watermark <= _checkpoint || (!force && _time.GetElapsedTime(_lastSave) < _options.CheckpointInterval))
            {
                return;
            }

            _lastSave = _time.GetTimestamp();
        }

        try
        {
            await _log.SetCheckpointAsync(_partition, watermark, cancellationToken);
            lock (_lock)
            {
                _checkpoint = Math.Max(_checkpoint, watermark);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A checkpoint that lags is safe (more redelivery after a crash); the next call tries again.
            LogCheckpointFailed(exception, _providerName, _partition, watermark);
            if (force)
            {
                throw;
            }
        }
    }

    /// <summary>The records of one stream in one read.</summary>
    private sealed class StreamGroup
    {
        public List<long> Offsets { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        /// <summary>Null until a record with a trace context comes: untraced reads allocate nothing for contexts.</summary>
        public List<LogTraceContext?>? Traces { get; private set; }

        public void Add(long offset, byte[] payload, LogTraceContext? trace)
        {
            if (trace is not null && Traces is null)
            {
                Traces = new List<LogTraceContext?>(Offsets.Count + 1);
                for (var i = 0; i < Offsets.Count; i++)
                {
                    Traces.Add(null);
                }
            }

            Offsets.Add(offset);
            Payloads.Add(payload);
            Traces?.Add(trace);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Durable log stream {Provider} partition {Partition} reads after checkpoint {Checkpoint}")]
    private partial void LogStarted(string provider, int partition, long checkpoint);

    [LoggerMessage(2, LogLevel.Information, "Durable log stream {Provider} partition {Partition} stopped at checkpoint {Checkpoint}, read {Read}, {Pending} containers pending")]
    private partial void LogStopped(string provider, int partition, long checkpoint, long read, int pending);

    [LoggerMessage(3, LogLevel.Warning, "Durable log stream {Provider} partition {Partition} could not save checkpoint {Checkpoint}")]
    private partial void LogCheckpointFailed(Exception exception, string provider, int partition, long checkpoint);
}
