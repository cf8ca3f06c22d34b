using System.Diagnostics;

namespace Grains.Sqlite;

/// <summary>
/// One queued write: the writer runs it inside a group-commit transaction and completes its task
/// only after that transaction committed (or failed).
/// </summary>
/// <remarks>
/// An operation is cancellable only while it waits in the queue. Once the writer has taken it, its
/// effect may commit, so its task then reports the real outcome whatever the token says: a caller
/// must never believe a committed write did not happen.
/// </remarks>
internal abstract class SqliteWriteOperation
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Dropped = 2;

    private int _state;
    private CancellationTokenRegistration _registration;

    /// <summary>A short name for logs and metrics (e.g. <c>state.write</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Whether the operation changes the database with at most one statement (any others only read).
    /// Such an operation runs without a savepoint: SQLite undoes a failed statement by itself, so the
    /// other operations of the transaction are unaffected either way. Default <c>false</c>.
    /// </summary>
    public virtual bool IsSingleStatement => false;

    /// <summary>
    /// Whether <paramref name="exception"/>, thrown by <see cref="Execute"/>, is an expected
    /// conflict (a stale ETag, say) rather than an error: counted as <c>conflict</c> and not logged.
    /// Default <c>false</c>. (The writer knows no provider's exception types.)
    /// </summary>
    public virtual bool IsConflict(Exception exception) => false;

    /// <summary>The caller's trace context, linked from the commit activity.</summary>
    public ActivityContext CallerContext { get; private set; }

    /// <summary>Captures the caller's context and arms cancellation; called once, before queueing.</summary>
    public void Prepare(CancellationToken cancellationToken)
    {
        CallerContext = Activity.Current?.Context ?? default;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((SqliteWriteOperation)state!).Drop(new OperationCanceledException(token)), this);
        }
    }

    /// <summary>Claims the operation for execution; <c>false</c> when it was cancelled or dropped meanwhile.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>Fails the operation if it has not been taken (cancellation, abort, shutdown).</summary>
    public void Drop(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _state, Dropped, Queued) == Queued)
        {
            _registration.Unregister();
            if (reason is OperationCanceledException canceled)
            {
                SetCanceled(canceled.CancellationToken);
            }
            else
            {
                SetException(reason);
            }
        }
    }

    /// <summary>Runs the operation's statements in the open transaction; throws to fail it.</summary>
    public abstract void Execute(SqliteWriteContext context);

    /// <summary>Completes a taken operation after its transaction ended: with its result, or with <paramref name="failure"/>.</summary>
    public void Complete(Exception? failure)
    {
        _registration.Unregister();
        if (failure is null)
        {
            SetResult();
        }
        else
        {
            SetException(failure);
        }
    }

    protected abstract void SetResult();

    protected abstract void SetException(Exception exception);

    protected abstract void SetCanceled(CancellationToken cancellationToken);
}
