using Grains.Runtime.Activation;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Timers;

/// <summary>
/// A timer owned by one activation. Each tick is a turn of the activation; the next tick is armed
/// only when the previous one completed, so ticks never overlap. Exceptions are logged and the next
/// tick is still scheduled.
/// </summary>
internal sealed class GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    : WorkItem, IGrainTimer
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private TimeSpan _dueTime = options.DueTime ?? options.Period;
    private TimeSpan _period = options.Period;
    private Timer? _timer;

    public override TurnKind Kind => options.Interleave ? TurnKind.Interleave : TurnKind.Exclusive;

    /// <summary>Timer ticks do not keep an activation alive.</summary>
    public override bool IsActivity => false;

    public void Start()
    {
        lock (_gate)
        {
            _timer = new Timer(static state => ((GrainTimer)state!).Fire(), this, _dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A grain timer's period must be positive.");
        }

        lock (_gate)
        {
            _dueTime = dueTime;
            _period = period;
            _timer?.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public override void Run(ActivationData owner)
    {
        Task tick;
        try
        {
            tick = _disposed.IsCancellationRequested ? Task.CompletedTask : callback(_disposed.Token);
        }
        catch (Exception exception)
        {
            tick = Task.FromException(exception);
        }

        if (tick.IsCompleted)
        {
            Finish(owner, tick);
            return;
        }

        tick.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => Finish(owner, tick));
    }

    public override void Fail(Exception exception) => Dispose();

    public override void Forward(GrainRuntime runtime, GrainId target) => Dispose();

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            _timer?.Dispose();
            _timer = null;
        }

        activation.RemoveTimer(this);
    }

    private void Fire()
    {
        if (_disposed.IsCancellationRequested || !activation.Enqueue(this))
        {
            Dispose();
        }
    }

    private void Finish(ActivationData owner, Task tick)
    {
        if (tick.IsFaulted)
        {
            owner.Runtime.Logger.LogWarning(tick.Exception!.GetBaseException(), "Timer tick of grain {GrainId} failed", owner.Id);
        }

        owner.CompleteTurn(Kind);
        lock (_gate)
        {
            _timer?.Change(_period, Timeout.InfiniteTimeSpan);
        }
    }
}
