namespace Grains.Sqlite;

/// <summary>A queued write with a result of type <typeparamref name="T"/>.</summary>
internal abstract class SqliteWriteOperation<T> : SqliteWriteOperation
{
    // Continuations must not run on the writer thread: it would stall every other queued write.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public sealed override void Execute(SqliteWriteContext context) => _result = ExecuteCore(context);

    /// <summary>Runs the statements and returns the result to deliver once the transaction committed.</summary>
    protected abstract T ExecuteCore(SqliteWriteContext context);

    protected sealed override void SetResult() => _completion.TrySetResult(_result!);

    protected sealed override void SetException(Exception exception) => _completion.TrySetException(exception);

    protected sealed override void SetCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
