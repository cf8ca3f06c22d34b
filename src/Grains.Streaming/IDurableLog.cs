namespace Grains.Streaming;

/// <summary>
/// A durable, partitioned, append-only log with one checkpoint per partition: what Grains' Orleans
/// stream provider reads (see <see cref="DurableLogQueueAdapterFactory"/>). Each partition is one
/// Orleans stream queue; a record's offset is its stream sequence number.
/// </summary>
/// <remarks>
/// Contract every implementation keeps:
/// <list type="bullet">
/// <item>within a partition, offsets strictly increase (they need not be contiguous), and a record
/// becomes visible to <see cref="ReadAsync"/> only after every record with a lower offset in the same
/// partition is visible: a reader never skips a record that commits later;</item>
/// <item><see cref="AppendAsync"/> completes only when its records are durable (the ingest edge
/// acknowledges an event after that, never before), and one call is one transaction;</item>
/// <item>a record reads back with the payload and the <see cref="LogRecord.Trace"/> it was appended
/// with (records stored before the log kept trace contexts read back without one);</item>
/// <item>a checkpoint never moves backwards: <see cref="SetCheckpointAsync"/> stores
/// max(stored, offset), so two owners of a partition during a hand-over cannot undo each other.</item>
/// </list>
/// </remarks>
public interface IDurableLog
{
    /// <summary>Appends the records in one durable transaction; completes only when they are durable.</summary>
    Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxCount"/> records of a partition with an offset above <paramref name="afterOffset"/>, in offset order.</summary>
    Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The partition's checkpoint: every record at or below it was delivered and processed (0 when none).</summary>
    Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Durably stores max(current checkpoint, <paramref name="offset"/>) as the partition's checkpoint;
    /// the log may then drop records at or below it.
    /// </summary>
    Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default);
}
