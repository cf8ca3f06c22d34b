using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;

namespace Grains.Streaming.Tests;

/// <summary>
/// The receiver over a log that signals appends (<see cref="IDurableLogAppendSignal"/>): it skips the
/// reads of an idle partition, reads as soon as an append is signalled, and reads anyway once per
/// <see cref="DurableLogStreamOptions.IdleReadInterval"/>, so a missed signal only delays.
/// </summary>
public sealed class ReceiverIdleSkipTests
{
    private static readonly StreamId Stream = StreamId.Create("idle", "k");

    [Fact]
    public async Task An_idle_partition_is_not_read_until_an_append_is_signalled()
    {
        var (log, time, receiver) = await StartAsync();
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None)); // first read: nothing yet
        var reads = log.Reads;

        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        }

        Assert.Equal(reads, log.Reads); // 2 s of pulling periods, no read

        await log.AppendAsync([new LogRecord(0, Stream, new byte[] { 1 })]);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Single(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.Equal(reads + 1, log.Reads);
    }

    [Fact]
    public async Task A_missed_signal_only_delays_the_read_until_the_idle_read_interval()
    {
        var (log, time, receiver) = await StartAsync();
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));

        log.Signals = false; // the append's signal is lost
        await log.AppendAsync([new LogRecord(0, Stream, new byte[] { 1 })]);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1)); // 5 s since the last read
        Assert.Single(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_log_that_cannot_tell_is_read_every_time()
    {
        var (log, time, receiver) = await StartAsync();
        log.Unknown = true;

        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        }

        Assert.Equal(5, log.Reads);
    }

    [Fact]
    public async Task A_read_that_left_records_behind_is_followed_by_another_without_a_signal()
    {
        var (log, time, receiver) = await StartAsync(readBatchSize: 2);
        await log.AppendAsync([.. Enumerable.Range(0, 5).Select(i => new LogRecord(0, Stream, new byte[] { (byte)i }))]);

        var items = 0;
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            var containers = await receiver.GetQueueMessagesAsync(10, CancellationToken.None);
            items += containers.Cast<DurableLogBatchContainer>().Sum(c => c.Offsets.Length);
        }

        Assert.Equal(5, items);
    }

    private static async Task<(SignallingLog Log, ManualTime Time, DurableLogQueueAdapterReceiver Receiver)> StartAsync(int readBatchSize = DurableLogStreamOptions.DefaultReadBatchSize)
    {
        var log = new SignallingLog();
        var time = new ManualTime();
        var options = new DurableLogStreamOptions { ReadBatchSize = readBatchSize };
        var queue = new DurableLogStreamQueueMapper(1, "idle").GetAllQueues().Single();
        var receiver = new DurableLogQueueAdapterReceiver("idle", queue, log, options, time, NullLogger.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        return (log, time, receiver);
    }

    private sealed class SignallingLog : IDurableLog, IDurableLogAppendSignal
    {
        private readonly MemoryDurableLog _inner = new();
        private long _mark;

        public bool Signals { get; set; } = true;

        public bool Unknown { get; set; }

        public int Reads { get; private set; }

        public long? GetAppendMark(int partition) => Unknown ? null : Interlocked.Read(ref _mark);

        public async Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
        {
            await _inner.AppendAsync(records, cancellationToken);
            if (Signals)
            {
                Interlocked.Increment(ref _mark);
            }
        }

        public Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default)
        {
            Reads++;
            return _inner.ReadAsync(partition, afterOffset, maxCount, cancellationToken);
        }

        public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default) => _inner.GetCheckpointAsync(partition, cancellationToken);

        public Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default) => _inner.SetCheckpointAsync(partition, offset, cancellationToken);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
