namespace Grains.Runtime.Configuration;

/// <summary>How pulling agents read and deliver stream items.</summary>
public sealed class StreamOptions
{
    /// <summary>Most items a pulling agent reads from its partition at once. Default 1,024.</summary>
    public int ReadBatchSize { get; set; } = 1024;

    /// <summary>
    /// Most items a pulling agent holds read but not yet processed. It keeps reading ahead while
    /// grains work, so items for other grains are not stuck behind one grain's backlog until that
    /// backlog alone fills this buffer. Default 4,096.
    /// </summary>
    public int MaxBufferedItems { get; set; } = 4096;

    /// <summary>
    /// Most payload bytes all pulling agents of a silo hold read but not yet processed, together. An
    /// agent reads again only while the silo is under this budget, so memory stays bounded however
    /// many partitions have a backlog. Default 64 MiB.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Most grain deliveries (turns of <c>OnNextBatchAsync</c>, with the activation a first one needs)
    /// in progress at once on a silo, over all its partitions. After a restart with a backlog every grain
    /// with items would otherwise activate at once, and their thousands of thread-pool work items queue
    /// ahead of everything else the process does (the HTTP edge's requests included) for seconds. A few
    /// hundred concurrent turns still fill the storage's group commits. Default 256.
    /// </summary>
    public int MaxConcurrentDeliveries { get; set; } = 256;

    /// <summary>Least time between two checkpoint writes of a partition (a caught-up agent writes it within this interval; a stopping agent at once). Default 100 ms.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Most items one grain receives in one turn. A grain with a deep backlog gets its items in
    /// slices of this size, in turn with the other grains of the batch, so it cannot starve them.
    /// Default 256.
    /// </summary>
    public int MaxItemsPerTurn { get; set; } = 256;

    /// <summary>
    /// How long a grain's items may wait to be delivered together (measured from the oldest item's
    /// append). Zero delivers at once; a few tens of milliseconds let a grain with a steady trickle of
    /// items take several per turn, i.e. per state write, trading that much latency for throughput.
    /// Default zero.
    /// </summary>
    public TimeSpan DeliveryLinger { get; set; } = TimeSpan.Zero;

    /// <summary>How long an agent that found its partition empty waits before reading again (appends on this silo wake it at once). Default 100 ms, as Orleans.</summary>
    public TimeSpan EmptyPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Attempts to deliver a slice to a grain before the agent logs it as failed and moves on. Default 5.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Most appends one group commit carries. Default 8,192.</summary>
    public int MaxAppendsPerCommit { get; set; } = 8192;
}
