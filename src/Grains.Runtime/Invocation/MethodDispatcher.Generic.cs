using System.Reflection;

namespace Grains.Runtime.Invocation;

/// <summary>The dispatcher of a method whose awaitable yields <typeparamref name="T"/> (<c>object</c> for plain Task/ValueTask).</summary>
internal sealed class MethodDispatcher<T>(MethodInfo method, ReturnKind returnKind) : MethodDispatcher(method, returnKind)
{
    public override bool IsCompleted(object awaitable) => ReturnKind switch
    {
        ReturnKind.Task or ReturnKind.TaskOfT => ((Task)awaitable).IsCompleted,
        ReturnKind.ValueTask => ((ValueTask)awaitable).IsCompleted,
        _ => ((ValueTask<T>)awaitable).IsCompleted,
    };

    public override Task ToTask(object awaitable) => ReturnKind switch
    {
        ReturnKind.Task or ReturnKind.TaskOfT => (Task)awaitable,
        ReturnKind.ValueTask => ((ValueTask)awaitable).AsTask(),
        _ => ((ValueTask<T>)awaitable).AsTask(),
    };

    public override IResponse CreateResponse() => new Response(this);

    public override async Task<object?> ToObjectTask(object awaitable)
    {
        var task = ToTask(awaitable);
        await task.ConfigureAwait(false);
        return task is Task<T> typed ? typed.Result : null;
    }

    public override object FromObjectTask(Task<object?> task) => Wrap(Unbox(task));

    private static async Task<T> Unbox(Task<object?> task) => (T)(await task.ConfigureAwait(false))!;

    public override object FromException(Exception exception) => Wrap(Task.FromException<T>(exception));

    private object Wrap(Task<T> task) => ReturnKind switch
    {
        ReturnKind.Task or ReturnKind.TaskOfT => task,
        ReturnKind.ValueTask => new ValueTask(task),
        _ => new ValueTask<T>(task),
    };

    private sealed class Response(MethodDispatcher<T> dispatcher) : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IResponse
    {
        public void Complete(Task handlerTask)
        {
            if (handlerTask.IsFaulted)
            {
                // Rethrow the grain's own exception (type and message intact), not an AggregateException.
                TrySetException(handlerTask.Exception!.InnerExceptions);
            }
            else if (handlerTask.IsCanceled)
            {
                TrySetCanceled();
            }
            else
            {
                TrySetResult(handlerTask is Task<T> typed ? typed.Result : default!);
            }
        }

        public void Fail(Exception exception) => TrySetException(exception);

        public object ToCallerResult(TimeSpan timeout, Func<string> describeCall)
        {
            var task = Task.IsCompleted ? Task : WithDeadline(Task, timeout, describeCall);
            return dispatcher.Wrap(task);
        }

        private static async Task<T> WithDeadline(Task<T> task, TimeSpan timeout, Func<string> describeCall)
        {
            try
            {
                return await task.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!task.IsCompleted)
            {
                // Only our own deadline: a timeout the callee failed with (an inner call's) passes through unchanged.
                throw new GrainCallTimeoutException(describeCall(), timeout);
            }
        }
    }
}
