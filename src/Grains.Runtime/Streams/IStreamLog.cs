namespace Grains.Runtime.Streams;

/// <summary>
/// A durable, partitioned, append-only log with one checkpoint per partition. The runtime batches
/// concurrent appends (group commit) before it calls <see cref="AppendAsync"/>, so one call should
/// be one transaction.
/// </summary>
/// <remarks>
/// Contract every implementation keeps: within a partition, offsets strictly increase, and an
/// item becomes visible to <see cref="ReadAsync"/> only after every item with a lower offset in the
/// same partition is visible (a reader never skips an item that commits later).
/// </remarks>
public interface IStreamLog
{
    /// <summary>Appends the records in one durable transaction; completes only when they are durable.</summary>
    Task AppendAsync(IReadOnlyList<StreamRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxCount"/> records of a partition with an offset above <paramref name="afterOffset"/>, in offset order.</summary>
    Task<IReadOnlyList<StoredStreamRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The partition's checkpoint: every record at or below it was delivered and processed (0 when none).</summary>
    Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>Durably advances the partition's checkpoint and may drop records at or below it.</summary>
    Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default);
}
