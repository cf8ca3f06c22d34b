namespace Grains.Runtime.Activation;

/// <summary>A unit of work an activation admits as a turn: a request, a timer tick.</summary>
internal abstract class WorkItem
{
    public abstract TurnKind Kind { get; }

    /// <summary>Whether admitting it counts as activity (keeps the activation from idle collection).</summary>
    public virtual bool IsActivity => true;

    /// <summary>
    /// Starts the turn on the activation's scheduler. The item must call
    /// <see cref="ActivationData.CompleteTurn"/> exactly once when the turn is over.
    /// </summary>
    public abstract void Run(ActivationData activation);

    /// <summary>The item cannot run (activation failed, silo stopped).</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// The activation was deactivated before the item started: requests go to the grain's next
    /// activation; activation-bound items (timer ticks) are dropped.
    /// </summary>
    public abstract void Forward(GrainRuntime runtime, GrainId target);
}
