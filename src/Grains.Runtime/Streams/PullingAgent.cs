using System.Threading.Channels;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Streams;

/// <summary>
/// Delivers one partition's stream items. It reads ahead after the checkpoint into one queue per
/// grain (bounded by <see cref="StreamOptions.MaxBufferedItems"/>); each grain with items has one
/// worker that delivers them in order, in slices of at most <see cref="StreamOptions.MaxItemsPerTurn"/>,
/// so grains progress side by side and one deep backlog does not hold up the others. The checkpoint
/// is the highest offset below which every item's turn has completed.
/// </summary>
internal sealed class PullingAgent
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly object _lock = new();
    private readonly Queue<TrackedItem> _inOrder = new();
    private readonly Dictionary<StreamId, GrainQueue> _grains = [];
    private readonly GrainRuntime _runtime;
    private readonly IStreamLog _log;
    private readonly StreamOptions _options;
    private Task _loop = Task.CompletedTask;
    private int _buffered;

    private readonly StreamBufferBudget _budget;
    private readonly SemaphoreSlim _deliveries;

    public PullingAgent(int partition, GrainRuntime runtime, IStreamLog log, StreamOptions options, StreamBufferBudget budget, SemaphoreSlim deliveries)
    {
        _budget = budget;
        _deliveries = deliveries;
        Partition = partition;
        _runtime = runtime;
        _log = log;
        _options = options;
    }

    public int Partition { get; }

    /// <summary>Age of the oldest item read but not yet processed; zero when caught up.</summary>
    public TimeSpan Lag
    {
        get
        {
            lock (_lock)
            {
                return _inOrder.TryPeek(out var oldest) ? DateTimeOffset.UtcNow - oldest.Item.AppendedAt : TimeSpan.Zero;
            }
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Wakes the agent (after a local append, or when a grain finished a slice).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Graceful: stops reading, lets the grains finish what was read, checkpoints, then stops.</summary>
    public Task StopAsync()
    {
        _stopping.Cancel();
        Wake();
        return _loop;
    }

    /// <summary>Crash-like: abandons what was read without checkpointing it.</summary>
    public Task AbortAsync()
    {
        _stopping.Cancel();
        _abort.Cancel();
        return _loop;
    }

    private async Task RunAsync()
    {
        var token = _abort.Token;
        try
        {
            var checkpoint = await _log.GetCheckpointAsync(Partition, token);
            var readPosition = checkpoint;
            var done = checkpoint;
            var lastCheckpointWrite = DateTime.UtcNow;
            while (true)
            {
                var read = 0;
                var room = _options.MaxBufferedItems - Volatile.Read(ref _buffered);
                if (!_stopping.IsCancellationRequested && room > 0 && _budget.HasRoom)
                {
                    var records = await _log.ReadAsync(Partition, readPosition, Math.Min(room, _options.ReadBatchSize), token);
                    if (records.Count > 0)
                    {
                        Enqueue(records);
                        readPosition = records[^1].Offset;
                        read = records.Count;
                    }
                }

                // At most one checkpoint write per CheckpointInterval, caught up or not (a stopping agent
                // writes its last one at once). Writing on every catch-up cost one write (and one trim)
                // per partition per group commit under load, beside the items' own state writes.
                // AdvanceCheckpoint pops what it reports, so the result is kept across iterations until written.
                (done, var caughtUp) = AdvanceCheckpoint(done);
                var due = DateTime.UtcNow - lastCheckpointWrite >= _options.CheckpointInterval;
                // A stopping agent is settled when every item left is done or left to the next owner.
                var settled = _stopping.IsCancellationRequested && (caughtUp || OnlyLeftOversRemain());
                if (done > checkpoint && (due || settled))
                {
                    await _log.SetCheckpointAsync(Partition, done, token);
                    checkpoint = done;
                    lastCheckpointWrite = DateTime.UtcNow;
                }

                if (settled && checkpoint == done)
                {
                    return;
                }

                if (read == 0 || Volatile.Read(ref _buffered) >= _options.MaxBufferedItems || !_budget.HasRoom)
                {
                    var wait = caughtUp ? _options.EmptyPollInterval : _options.CheckpointInterval;
                    if (done > checkpoint)
                    {
                        // A checkpoint is pending: come back when it is due.
                        var untilDue = _options.CheckpointInterval - (DateTime.UtcNow - lastCheckpointWrite);
                        wait = untilDue < wait ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.FromMilliseconds(1)) : wait;
                    }

                    await WaitAsync(wait);
                }
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Aborted: what was not checkpointed is delivered again by the next owner.
        }
        catch (Exception exception)
        {
            _runtime.Logger.LogError(exception, "Pulling agent of partition {Partition} stopped", Partition);
        }
    }

    private void Enqueue(IReadOnlyList<StoredStreamRecord> records)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                var tracked = new TrackedItem(new StreamItem(record.Offset, record.Payload, record.AppendedAt));
                _inOrder.Enqueue(tracked);
                if (!_grains.TryGetValue(record.Stream, out var queue))
                {
                    _grains[record.Stream] = queue = new GrainQueue(record.Stream);
                }

                queue.Items.Enqueue(tracked);
                if (!queue.Running)
                {
                    queue.Running = true;
                    _ = Task.Run(() => DrainGrainAsync(queue));
                }
            }

            _buffered += records.Count;
        }

        long bytes = 0;
        foreach (var record in records)
        {
            bytes += record.Payload.Length;
        }

        _budget.Take(bytes);
    }

    /// <summary>Pops completed items in offset order; returns the new checkpoint candidate and whether nothing is outstanding.</summary>
    private (long Done, bool CaughtUp) AdvanceCheckpoint(long checkpoint)
    {
        lock (_lock)
        {
            var done = checkpoint;
            while (_inOrder.TryPeek(out var head) && head.Done)
            {
                done = _inOrder.Dequeue().Item.Offset;
            }

            return (done, _inOrder.Count == 0);
        }
    }

    private bool OnlyLeftOversRemain()
    {
        lock (_lock)
        {
            foreach (var item in _inOrder)
            {
                if (!item.Done && !item.LeftOver)
                {
                    return false;
                }
            }

            return true;
        }
    }

    private async Task WaitAsync(TimeSpan timeout)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        wait.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
        {
            // The interval elapsed: look again.
        }
    }

    /// <summary>One grain's worker: delivers its queue in order, one bounded slice per turn.</summary>
    private async Task DrainGrainAsync(GrainQueue queue)
    {
        IStreamSubscriber subscriber;
        try
        {
            subscriber = _runtime.GetGrain<IStreamSubscriber>(new GrainId(_runtime.Registry.GetSubscriber(queue.Stream.Namespace), queue.Stream.Key));
        }
        catch (InvalidOperationException exception)
        {
            _runtime.Logger.LogError(exception, "Stream {Stream} has no subscriber; its items are skipped", queue.Stream);
            subscriber = null!;
        }

        var slice = new List<TrackedItem>(_options.MaxItemsPerTurn);
        while (!_abort.IsCancellationRequested)
        {
            if (!await LingerAsync(queue))
            {
                return;
            }

            slice.Clear();
            lock (_lock)
            {
                while (slice.Count < _options.MaxItemsPerTurn && queue.Items.TryDequeue(out var item))
                {
                    slice.Add(item);
                }

                if (slice.Count == 0)
                {
                    queue.Running = false;
                    _grains.Remove(queue.Stream);
                    return;
                }
            }

            if (subscriber is not null)
            {
                // The silo-wide cap on deliveries in progress (StreamOptions.MaxConcurrentDeliveries): a
                // waiting grain worker holds no thread, only its place in the semaphore's queue.
                try
                {
                    await _deliveries.WaitAsync(_abort.Token);
                }
                catch (OperationCanceledException)
                {
                    return; // Aborted: nothing of this slice is done, the next owner delivers it.
                }

                bool delivered;
                try
                {
                    delivered = await DeliverSliceAsync(subscriber, new StreamBatch(queue.Stream, slice.Select(t => t.Item).ToArray()));
                }
                finally
                {
                    _deliveries.Release();
                }

                if (!delivered)
                {
                    LeaveToNextOwner(queue, slice);
                    return;
                }
            }

            lock (_lock)
            {
                foreach (var item in slice)
                {
                    item.Done = true;
                }

                _buffered -= slice.Count;
            }

            long bytes = 0;
            foreach (var item in slice)
            {
                bytes += item.Item.Payload.Length;
            }

            _budget.Return(bytes);
            Wake();
        }
    }

    /// <summary>
    /// With <see cref="StreamOptions.DeliveryLinger"/>, lets a grain's items gather until its oldest item is
    /// that old (or a full turn's worth is waiting), so one turn — and one state write — covers several
    /// items of a grain that receives a steady trickle. Returns false when the agent is aborting.
    /// </summary>
    private async ValueTask<bool> LingerAsync(GrainQueue queue)
    {
        var linger = _options.DeliveryLinger;
        if (linger <= TimeSpan.Zero || _stopping.IsCancellationRequested)
        {
            return true;
        }

        TimeSpan wait;
        lock (_lock)
        {
            if (queue.Items.Count >= _options.MaxItemsPerTurn || !queue.Items.TryPeek(out var oldest))
            {
                return true;
            }

            wait = linger - (DateTimeOffset.UtcNow - oldest.Item.AppendedAt);
        }

        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(wait < linger ? wait : linger, _abort.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The agent is handing its partition over and a delivery failed: the slice and the rest of the
    /// grain's queue stay undone, so the checkpoint stops before them and the next owner delivers them.
    /// </summary>
    private void LeaveToNextOwner(GrainQueue queue, List<TrackedItem> slice)
    {
        long bytes = 0;
        var count = 0;
        lock (_lock)
        {
            foreach (var item in slice.Concat(queue.Items))
            {
                item.LeftOver = true;
                bytes += item.Item.Payload.Length;
                count++;
            }

            queue.Items.Clear();
            queue.Running = false;
            _grains.Remove(queue.Stream);
            _buffered -= count;
        }

        _budget.Return(bytes);
        _runtime.Logger.LogWarning("Partition {Partition} is being handed over: {Count} items of stream {Stream} are left to the next owner", Partition, count, queue.Stream);
        Wake();
    }

    /// <summary>Delivers a slice; false when the agent is stopping and the delivery failed (the items are left to the next owner).</summary>
    private async Task<bool> DeliverSliceAsync(IStreamSubscriber subscriber, StreamBatch batch)
    {
        for (var attempt = 1; !_abort.IsCancellationRequested; attempt++)
        {
            try
            {
                await subscriber.OnNextBatchAsync(batch);
                RuntimeInstruments.StreamDelivered.Add(batch.Items.Count);
                return true;
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                // Handing over (or shutting down): never give up on items here, the next owner retries them.
                return false;
            }
            catch (Exception exception) when (attempt < _options.MaxDeliveryAttempts)
            {
                _runtime.Logger.LogWarning(exception, "Delivery of {Count} items of stream {Stream} failed (attempt {Attempt}); retrying", batch.Items.Count, batch.Stream, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * attempt), _abort.Token);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
            catch (Exception exception)
            {
                _runtime.Logger.LogError(exception, "Giving up on {Count} items of stream {Stream} after {Attempts} attempts (offsets {First}..{Last})",
                    batch.Items.Count, batch.Stream, attempt, batch.Items[0].Offset, batch.Items[^1].Offset);
                RuntimeInstruments.StreamDeliveryFailures.Add(1);
                return true;
            }
        }

        return false;
    }

    private sealed class TrackedItem(StreamItem item)
    {
        public StreamItem Item { get; } = item;

        public bool Done { get; set; }

        /// <summary>Left undone for the partition's next owner (a delivery failed while handing over).</summary>
        public bool LeftOver { get; set; }
    }

    private sealed class GrainQueue(StreamId stream)
    {
        public StreamId Stream { get; } = stream;

        public Queue<TrackedItem> Items { get; } = new();

        public bool Running { get; set; }
    }
}
