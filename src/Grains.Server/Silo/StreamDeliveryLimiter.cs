namespace Grains.Server.Silo;

/// <summary>
/// Bounds how many stream deliveries this silo's pulling agents have in flight at once
/// (<see cref="SiloDefaults.MaxConcurrentDeliveries"/>); other grain calls pass untouched. It filters
/// the agents' outgoing calls, so a delivery waiting for a slot has not activated its grain yet.
/// </summary>
/// <remarks>
/// Orleans' pulling agents deliver to every stream that has items at once. After a restart with a
/// backlog that is one issue-grain activation per issue, thousands together, each reading its state
/// and writing its events: the process spent seconds on them before it answered the first SDK
/// request (measured: first 200 on ingest 5.6 s after start with delivery, 3.1 s without). Bounded,
/// the backlog drains at the same rate (the one SQLite writer or the database is the limit either
/// way) while the edge keeps a share of the cores.
/// </remarks>
public sealed class StreamDeliveryLimiter : IOutgoingGrainCallFilter
{
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a limiter with <paramref name="maxConcurrentDeliveries"/> slots.</summary>
    public StreamDeliveryLimiter(int maxConcurrentDeliveries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrentDeliveries);
        _slots = new SemaphoreSlim(maxConcurrentDeliveries, maxConcurrentDeliveries);
    }

    /// <summary>Deliveries waiting for a slot or running (for tests and diagnostics).</summary>
    public int Available => _slots.CurrentCount;

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsStreamDelivery(context))
        {
            await context.Invoke();
            return;
        }

        await _slots.WaitAsync();
        try
        {
            await context.Invoke();
        }
        finally
        {
            _slots.Release();
        }
    }

    // Persistent-stream deliveries are calls to the consumer grain's stream extension.
    private static bool IsStreamDelivery(IOutgoingGrainCallContext context) =>
        context.InterfaceName?.Contains("IStreamConsumerExtension", StringComparison.Ordinal) == true;
}
