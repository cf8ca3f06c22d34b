namespace Grains.Runtime.Streams;

/// <summary>
/// The silo-wide budget of stream payload bytes read ahead by pulling agents. An agent reads only while
/// the budget has room; one read may overshoot it by at most one batch.
/// </summary>
internal sealed class StreamBufferBudget(long maxBytes)
{
    private long _used;

    public bool HasRoom => Volatile.Read(ref _used) < maxBytes;

    public long Used => Volatile.Read(ref _used);

    public void Take(long bytes) => Interlocked.Add(ref _used, bytes);

    public void Return(long bytes) => Interlocked.Add(ref _used, -bytes);
}
