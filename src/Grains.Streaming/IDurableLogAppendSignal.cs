namespace Grains.Streaming;

/// <summary>
/// What an <see cref="IDurableLog"/> may also offer: whether a partition may have had records
/// appended, so the queue receiver of an idle partition skips the read of every pulling period
/// (<see cref="DurableLogStreamOptions.IdleReadInterval"/> bounds the skipping).
/// </summary>
/// <remarks>
/// A log implements it only where it learns of every append after its commit: its own appends, and
/// other processes' through a notification (PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c>). A missed signal
/// must only delay a read until the next idle read, never lose records: the receiver reads anyway
/// once per <see cref="DurableLogStreamOptions.IdleReadInterval"/>.
/// </remarks>
public interface IDurableLogAppendSignal
{
    /// <summary>
    /// The partition's append mark: a value that differs from every value returned before for the
    /// partition once records appended to it committed after that earlier call (it changes after the
    /// commit, never before). <c>null</c> when the log cannot tell now (e.g. its notification
    /// connection is down): the receiver then reads.
    /// </summary>
    long? GetAppendMark(int partition);
}
