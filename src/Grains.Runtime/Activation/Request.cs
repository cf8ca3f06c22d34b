using Grains.Runtime.Invocation;

namespace Grains.Runtime.Activation;

/// <summary>A grain call that could not run inline: it waits in the activation's queue for its turn.</summary>
internal sealed class Request(MethodDispatcher dispatcher, object?[] args, CallChain? caller, long deadline, IResponse response, TurnKind kind) : WorkItem
{
    public override TurnKind Kind => kind;

    public IResponse Response => response;

    public MethodDispatcher Dispatcher => dispatcher;

    public object?[] Arguments => args;

    /// <summary>When the call must be answered (<see cref="Environment.TickCount64"/> milliseconds).</summary>
    public long Deadline => deadline;

    public override void Run(ActivationData activation)
    {
        var awaitable = activation.InvokeHandler(dispatcher, args, caller, deadline);
        var task = dispatcher.ToTask(awaitable);
        if (task.IsCompleted)
        {
            activation.CompleteTurn(kind);
            response.Complete(task);
            return;
        }

        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() =>
        {
            activation.CompleteTurn(kind);
            response.Complete(task);
        });
    }

    public override void Fail(Exception exception) => response.Fail(exception);

    public override void Forward(GrainRuntime runtime, GrainId target) => runtime.Dispatch(target, this);
}
