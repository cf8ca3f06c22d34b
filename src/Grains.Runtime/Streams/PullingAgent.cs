using System.Threading.Channels;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Streams;

/// <summary>
/// Delivers one partition's stream items. It reads a batch after the checkpoint, groups it by stream
/// (one grain each), delivers each grain's items in order in slices of at most
/// <see cref="StreamOptions.MaxItemsPerTurn"/> — different grains concurrently, so one deep backlog
/// does not hold up the rest — and advances the checkpoint only when every slice's turn completed.
/// </summary>
internal sealed class PullingAgent
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly GrainRuntime _runtime;
    private readonly IStreamLog _log;
    private readonly StreamOptions _options;
    private Task _loop = Task.CompletedTask;
    private long _lagTicksOldest;

    public PullingAgent(int partition, GrainRuntime runtime, IStreamLog log, StreamOptions options)
    {
        Partition = partition;
        _runtime = runtime;
        _log = log;
        _options = options;
    }

    public int Partition { get; }

    /// <summary>Age of the oldest item read but not yet checkpointed; zero when caught up.</summary>
    public TimeSpan Lag
    {
        get
        {
            var oldest = Interlocked.Read(ref _lagTicksOldest);
            return oldest == 0 ? TimeSpan.Zero : DateTimeOffset.UtcNow - new DateTimeOffset(oldest, TimeSpan.Zero);
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Wakes the agent after a local append.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Graceful: finishes the batch in hand (deliver, checkpoint), then stops.</summary>
    public Task StopAsync()
    {
        _stopping.Cancel();
        return _loop;
    }

    /// <summary>Crash-like: abandons the batch in hand without checkpointing it.</summary>
    public Task AbortAsync()
    {
        _stopping.Cancel();
        _abort.Cancel();
        return _loop;
    }

    private async Task RunAsync()
    {
        try
        {
            var checkpoint = await _log.GetCheckpointAsync(Partition, _abort.Token);
            while (!_stopping.IsCancellationRequested)
            {
                var records = await _log.ReadAsync(Partition, checkpoint, _options.ReadBatchSize, _abort.Token);
                if (records.Count == 0)
                {
                    Interlocked.Exchange(ref _lagTicksOldest, 0);
                    await WaitForItemsAsync();
                    continue;
                }

                Interlocked.Exchange(ref _lagTicksOldest, records[0].AppendedAt.UtcTicks);
                await DeliverAsync(records, _abort.Token);
                checkpoint = records[^1].Offset;
                await _log.SetCheckpointAsync(Partition, checkpoint, _abort.Token);
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

    private async Task WaitForItemsAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.EmptyPollInterval);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Poll interval elapsed or stopping: either way, look again (or leave the loop).
        }
    }

    private Task DeliverAsync(IReadOnlyList<StoredStreamRecord> records, CancellationToken cancellationToken)
    {
        var byStream = new Dictionary<StreamId, List<StreamItem>>();
        foreach (var record in records)
        {
            if (!byStream.TryGetValue(record.Stream, out var items))
            {
                byStream[record.Stream] = items = [];
            }

            items.Add(new StreamItem(record.Offset, record.Payload, record.AppendedAt));
        }

        var deliveries = new Task[byStream.Count];
        var i = 0;
        foreach (var (stream, items) in byStream)
        {
            deliveries[i++] = DeliverToGrainAsync(stream, items, cancellationToken);
        }

        return Task.WhenAll(deliveries);
    }

    private async Task DeliverToGrainAsync(StreamId stream, List<StreamItem> items, CancellationToken cancellationToken)
    {
        GrainId grainId;
        try
        {
            grainId = new GrainId(_runtime.Registry.GetSubscriber(stream.Namespace), stream.Key);
        }
        catch (InvalidOperationException exception)
        {
            _runtime.Logger.LogError(exception, "Dropping {Count} items of stream {Stream}: no subscriber", items.Count, stream);
            RuntimeInstruments.StreamDeliveryFailures.Add(1);
            return;
        }

        var subscriber = _runtime.GetGrain<IStreamSubscriber>(grainId);
        for (var start = 0; start < items.Count; start += _options.MaxItemsPerTurn)
        {
            var slice = items.GetRange(start, Math.Min(_options.MaxItemsPerTurn, items.Count - start));
            await DeliverSliceAsync(subscriber, new StreamBatch(stream, slice), cancellationToken);
        }
    }

    private async Task DeliverSliceAsync(IStreamSubscriber subscriber, StreamBatch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await subscriber.OnNextBatchAsync(batch);
                RuntimeInstruments.StreamDelivered.Add(batch.Items.Count);
                return;
            }
            catch (Exception exception) when (attempt < _options.MaxDeliveryAttempts && !cancellationToken.IsCancellationRequested)
            {
                _runtime.Logger.LogWarning(exception, "Delivery of {Count} items of stream {Stream} failed (attempt {Attempt}); retrying", batch.Items.Count, batch.Stream, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * attempt), cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _runtime.Logger.LogError(exception, "Giving up on {Count} items of stream {Stream} after {Attempts} attempts (offsets {First}..{Last})",
                    batch.Items.Count, batch.Stream, attempt, batch.Items[0].Offset, batch.Items[^1].Offset);
                RuntimeInstruments.StreamDeliveryFailures.Add(1);
                return;
            }
        }
    }
}
