using System.Threading.Channels;
using Grains.Runtime.Activation;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Streams;

/// <summary>
/// Group commit for stream appends: callers enqueue their records; one loop takes everything pending
/// (up to <see cref="StreamOptions.MaxAppendsPerCommit"/>), appends it to the log in one call, and
/// completes all callers together. While one commit runs, the next one fills up, so throughput grows
/// with concurrency instead of collapsing into one transaction per append.
/// </summary>
internal sealed class StreamProducer : IStreamProducer, IAsyncDisposable
{
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IStreamLog _log;
    private readonly GrainTypeRegistry _registry;
    private readonly Func<GrainId, int> _partitionOf;
    private readonly StreamOptions _options;
    private readonly ILogger _logger;
    private readonly Task _loop;

    /// <summary>Group commits handed to the log and not yet durable, at most.</summary>
    private const int MaxCommitsInFlight = 2;

    public StreamProducer(IStreamLog log, GrainTypeRegistry registry, Func<GrainId, int> partitionOf, StreamOptions options, ILogger logger)
    {
        _log = log;
        _registry = registry;
        _partitionOf = partitionOf;
        _options = options;
        _logger = logger;
        _loop = Task.Run(CommitLoopAsync);
    }

    /// <summary>Raised after a commit with each partition that received items (wakes the local pulling agents).</summary>
    public event Action<int>? PartitionAppended;

    public Task AppendAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        var records = new StreamRecord[messages.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var stream = messages[i].Stream;
            var subscriber = new GrainId(_registry.GetSubscriber(stream.Namespace), stream.Key);
            records[i] = new StreamRecord(_partitionOf(subscriber), stream, messages[i].Payload);
        }

        var append = new PendingAppend(records);
        if (!_pending.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(StreamProducer), "The stream producer is stopped; nothing was appended.");
        }

        return append.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Commits what is pending, then stops accepting appends.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }

    private async Task CommitLoopAsync()
    {
        // Up to MaxCommitsInFlight groups are handed to the log before the oldest is durable: the next
        // group forms and is queued while the previous one commits, so an append waits for about one
        // commit instead of the rest of the running one plus its own. Groups reach the log in order, so
        // a log that commits its calls in order (the contract) keeps offsets in append order.
        using var inFlight = new SemaphoreSlim(MaxCommitsInFlight, MaxCommitsInFlight);
        while (await _pending.Reader.WaitToReadAsync())
        {
            await inFlight.WaitAsync();
            var batch = new List<PendingAppend>();
            var records = new List<StreamRecord>();
            while (records.Count < _options.MaxAppendsPerCommit && _pending.Reader.TryRead(out var append))
            {
                batch.Add(append);
                records.AddRange(append.Records);
            }

            if (batch.Count == 0)
            {
                inFlight.Release();
                continue;
            }

            Task commit;
            try
            {
                commit = _log.AppendAsync(records);
            }
            catch (Exception exception)
            {
                commit = Task.FromException(exception);
            }

            _ = CompleteAsync(commit, batch, records, inFlight);
        }

        for (var i = 0; i < MaxCommitsInFlight; i++)
        {
            await inFlight.WaitAsync();
        }
    }

    private async Task CompleteAsync(Task commit, List<PendingAppend> batch, List<StreamRecord> records, SemaphoreSlim inFlight)
    {
        try
        {
            await commit.ConfigureAwait(false);
            RuntimeInstruments.StreamAppended.Add(records.Count);
            RuntimeInstruments.StreamCommitSize.Record(records.Count);
            foreach (var append in batch)
            {
                append.Done.TrySetResult();
            }

            var partitions = new HashSet<int>();
            foreach (var record in records)
            {
                partitions.Add(record.Partition);
            }

            foreach (var partition in partitions)
            {
                PartitionAppended?.Invoke(partition);
            }
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Stream append of {Count} records failed", records.Count);
            foreach (var append in batch)
            {
                append.Done.TrySetException(exception);
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    private sealed class PendingAppend(StreamRecord[] records)
    {
        public StreamRecord[] Records => records;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
