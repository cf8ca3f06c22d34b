namespace Grains.Streaming;

/// <summary>Options of a durable-log stream provider (per provider name).</summary>
public sealed class DurableLogStreamOptions
{
    /// <summary>
    /// The default <see cref="QueueCount"/>: 64. As many partitions as the log had under Grains'
    /// own runtime, so queues can spread over up to 64 silos; an idle silo pays one cheap read per
    /// queue per <see cref="PullingPeriod"/>.
    /// </summary>
    public const int DefaultQueueCount = 64;

    /// <summary>
    /// The default <see cref="ReadBatchSize"/>: 1,024 records. Large enough that a hot stream gets
    /// many items per grain call (one state write for many events); Orleans' queue cache caps a read
    /// further at a tenth of its size (409 containers by default).
    /// </summary>
    public const int DefaultReadBatchSize = 1_024;

    /// <summary>
    /// The default <see cref="PullingPeriod"/>: 100 ms, Orleans' own default. It bounds the delivery
    /// latency of an idle queue; a busy queue reads again at once until it is empty.
    /// </summary>
    public static readonly TimeSpan DefaultPullingPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The default <see cref="CheckpointInterval"/>: 100 ms, as under Grains' own runtime. A shorter
    /// interval writes more; a longer one redelivers more after a crash (redelivered items are
    /// skipped by offset, so this costs time, not correctness).
    /// </summary>
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The default <see cref="IdleReadInterval"/>: 5 s. Bounds how long a missed append signal can
    /// delay delivery; one read per partition every 5 s costs next to nothing against the ten per
    /// second of the pulling period.
    /// </summary>
    public static readonly TimeSpan DefaultIdleReadInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The default <see cref="MaxDeliveryRetryTime"/>: 10 minutes. Orleans retries a failing delivery
    /// for this long and then moves on (its default is one minute); a database restart must not
    /// turn into skipped events, so the horizon is long. What still fails goes to the failure
    /// handler and is held below the checkpoint or set aside (see <see cref="IDurableLogDeadLetterStore"/>).
    /// </summary>
    public static readonly TimeSpan DefaultMaxDeliveryRetryTime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The size of Orleans' queue cache per queue that a durable-log provider sets unless told
    /// otherwise (<c>ConfigureCache</c>): 256 containers (Orleans' default is 4,096). The cache keeps
    /// delivered containers until a whole bucket of them is released, so its memory is queues ×
    /// size × payload: with 64 queues and ~8 KB events Orleans' default held 2 GB after 100,000
    /// distinct issues. 256 bounds it near 128 MB; a read then takes at most 25 records (a tenth of
    /// the cache), and the checkpoint trails by at most 256 containers per queue.
    /// </summary>
    public const int DefaultCacheSize = 256;

    /// <summary>
    /// The default <see cref="StreamInactivityPeriod"/>: 2 minutes (Orleans' default is 30). A pulling
    /// agent keeps a consumer record and a cache cursor for every stream it delivered to until the
    /// stream has been idle this long; with one stream per issue, 100,000 distinct issues in half an
    /// hour kept gigabytes of them (measured: peak RSS 2 GB with 30 minutes).
    /// </summary>
    public static readonly TimeSpan DefaultStreamInactivityPeriod = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The number of log partitions, one Orleans queue each. It decides the partition of every stream
    /// (<see cref="DurableLogStreamQueueMapper"/>), so it must never change once records were
    /// appended. Default <see cref="DefaultQueueCount"/>.
    /// </summary>
    public int QueueCount { get; set; } = DefaultQueueCount;

    /// <summary>The most records read from a partition at once. Default <see cref="DefaultReadBatchSize"/>.</summary>
    public int ReadBatchSize { get; set; } = DefaultReadBatchSize;

    /// <summary>How often an idle queue is read. Default <see cref="DefaultPullingPeriod"/>.</summary>
    public TimeSpan PullingPeriod { get; set; } = DefaultPullingPeriod;

    /// <summary>The least time between two checkpoint writes of a partition. Default <see cref="DefaultCheckpointInterval"/>.</summary>
    public TimeSpan CheckpointInterval { get; set; } = DefaultCheckpointInterval;

    /// <summary>How long a stream may be idle before its pulling agent forgets it. Default <see cref="DefaultStreamInactivityPeriod"/>.</summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = DefaultStreamInactivityPeriod;

    /// <summary>
    /// With a log that signals appends (<see cref="IDurableLogAppendSignal"/>), how long the receiver
    /// of a caught-up partition with no signalled append goes without reading it (between reads it skips
    /// the pulling period's read). Default <see cref="DefaultIdleReadInterval"/>.
    /// </summary>
    public TimeSpan IdleReadInterval { get; set; } = DefaultIdleReadInterval;

    /// <summary>How long Orleans retries a failing delivery before it reports it as failed. Default <see cref="DefaultMaxDeliveryRetryTime"/>.</summary>
    public TimeSpan MaxDeliveryRetryTime { get; set; } = DefaultMaxDeliveryRetryTime;
}
