using System.Collections.Concurrent;

namespace Grains.Runtime.Activation;

/// <summary>
/// Runs an activation's code one piece at a time: turn starts and every continuation of grain code
/// (awaits capture this context) are posted here and run serially on the thread pool, so even
/// interleaved turns never run in parallel. A caller may also run a piece inline when the scheduler
/// is idle (<see cref="TryEnter"/>), which is what makes an uncontended local call cheap.
/// </summary>
internal sealed class ActivationScheduler(Action<Exception> onUnhandled) : SynchronizationContext, IThreadPoolWorkItem
{
    /// <summary>How many queued pieces one thread-pool visit runs before yielding to other activations.</summary>
    private const int MaxPiecesPerVisit = 64;

    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private int _busy;

    public override void Post(SendOrPostCallback d, object? state)
    {
        _queue.Enqueue((d, state));
        if (TryEnter())
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code must not block: synchronous Send onto an activation is not supported.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Claims the scheduler for running code on the current thread; false when it is busy.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Releases a claim; schedules a visit when pieces were posted meanwhile.</summary>
    public void Exit()
    {
        // A full fence, not a release store: the emptiness check below must not be reordered before the
        // release (x86 reorders a store with a later load). Otherwise a Post that enqueues meanwhile and
        // sees the scheduler still busy, while this Exit sees the queue still empty, strands its piece
        // with nobody scheduled to run it (found by the shared-grain benchmark: a call hung until its deadline).
        Interlocked.Exchange(ref _busy, 0);
        if (!_queue.IsEmpty && TryEnter())
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Runs <paramref name="action"/> with this context current (the caller holds the claim).</summary>
    public void RunInline<TState>(Action<TState> action, TState state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action(state);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var i = 0; i < MaxPiecesPerVisit && _queue.TryDequeue(out var piece); i++)
            {
                try
                {
                    piece.Callback(piece.State);
                }
                catch (Exception exception)
                {
                    onUnhandled(exception);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
            Exit();
        }
    }
}
