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
        var batch = new List<PendingAppend>();
        var records = new List<StreamRecord>();
        var partitions = new HashSet<int>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            records.Clear();
            partitions.Clear();
            while (records.Count < _options.MaxAppendsPerCommit && _pending.Reader.TryRead(out var append))
            {
                batch.Add(append);
                records.AddRange(append.Records);
            }

            try
            {
                await _log.AppendAsync(records);
                RuntimeInstruments.StreamAppended.Add(records.Count);
                RuntimeInstruments.StreamCommitSize.Record(records.Count);
                foreach (var append in batch)
                {
                    append.Done.TrySetResult();
                }

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
        }
    }

    private sealed class PendingAppend(StreamRecord[] records)
    {
        public StreamRecord[] Records => records;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
