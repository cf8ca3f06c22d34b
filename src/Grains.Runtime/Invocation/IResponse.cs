namespace Grains.Runtime.Invocation;

/// <summary>The caller's side of a call that did not complete inline.</summary>
internal interface IResponse
{
    /// <summary>Completes the response from the handler's finished task.</summary>
    void Complete(Task handlerTask);

    /// <summary>Fails the response (activation failure, shutdown).</summary>
    void Fail(Exception exception);

    /// <summary>The awaitable of the method's return type the caller receives, bounded by the deadline.</summary>
    object ToCallerResult(TimeSpan timeout, Func<string> describeCall);
}
