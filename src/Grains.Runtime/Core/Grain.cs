using Grains.Runtime.Activation;
using Grains.Runtime.Timers;

namespace Grains.Runtime;

/// <summary>
/// Base class of grain implementations. An activation runs one turn at a time (unless the class is
/// <see cref="ReentrantAttribute"/> or a method interleaves); state is injected through constructor
/// parameters marked <see cref="Persistence.PersistentStateAttribute"/> and is loaded before
/// <see cref="OnActivateAsync"/>. Grain code must not block on tasks and must not use
/// <c>ConfigureAwait(false)</c>: continuations have to come back to the activation's turn.
/// </summary>
public abstract class Grain
{
    private ActivationData? _activation;

    internal ActivationData Activation => _activation ?? throw new InvalidOperationException("The grain is not attached to an activation yet (do not call runtime members from the constructor).");

    /// <summary>This grain's id.</summary>
    public GrainId GrainId => Activation.Id;

    /// <summary>The factory for references to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>The string key of this grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The Guid key of this grain.</summary>
    public Guid GetPrimaryKey() => GrainKeys.ToGuid(GrainId);

    /// <summary>The integer key of this grain.</summary>
    public long GetPrimaryKeyLong() => GrainKeys.ToInteger(GrainId);

    /// <summary>Runs after the grain's state is loaded and before its first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before the activation is dropped. Best effort: a crashed silo never runs it, so state that
    /// matters is written during normal turns.
    /// </summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current turn completes; later calls get a new activation.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.Requested);

    /// <summary>
    /// Registers a timer owned by this activation. Each tick runs as a turn of the grain (not
    /// interleaved unless <see cref="GrainTimerCreationOptions.Interleave"/>); the next tick is measured
    /// from the end of the previous one, so ticks never overlap. Ticks do not keep the activation alive.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
        => Activation.RegisterTimer(callback, options);

    /// <summary>Registers or updates a durable reminder (see <see cref="Reminders.IRemindable"/>).</summary>
    protected Task RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period)
        => Activation.Runtime.Reminders.RegisterOrUpdateAsync(GrainId, name, dueTime, period);

    /// <summary>Removes a durable reminder of this grain.</summary>
    protected Task UnregisterReminder(string name) => Activation.Runtime.Reminders.UnregisterAsync(GrainId, name);

    internal void Attach(ActivationData activation) => _activation = activation;
}
