using System.Diagnostics;
using Grains.Runtime.Diagnostics;
using Grains.Runtime.Invocation;
using Grains.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Activation;

/// <summary>
/// One activation of a grain: its instance, its queue of waiting work, the admission rules for
/// turns, its timers and its life cycle. Admission decisions are made under one lock; grain code
/// runs on the activation's <see cref="ActivationScheduler"/>.
/// </summary>
internal sealed class ActivationData
{
    /// <summary>How deep inline calls may nest on one thread before a call is queued instead.</summary>
    private const int MaxInlineDepth = 8;

    [ThreadStatic]
    private static int t_inlineDepth;

    private readonly object _lock = new();
    private readonly Queue<WorkItem> _waiting = new();
    private readonly ActivationScheduler _scheduler;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<GrainTimer>? _timers;
    private volatile ActivationStatus _status = ActivationStatus.Activating;
    private bool _lifecycleRunning = true;
    private bool _deactivationRequested;
    private DeactivationReason _deactivationReason;
    private int _exclusive;
    private int _readOnly;
    private int _interleaved;
    private long _lastActivity = Environment.TickCount64;

    public ActivationData(GrainId id, GrainClassInfo classInfo, GrainRuntime runtime)
    {
        Id = id;
        ClassInfo = classInfo;
        Runtime = runtime;
        _scheduler = new ActivationScheduler(exception => runtime.Logger.LogError(exception, "Unhandled exception in grain {GrainId}", id));
    }

    public GrainId Id { get; }

    public GrainClassInfo ClassInfo { get; }

    public GrainRuntime Runtime { get; }

    public Grain? Instance { get; private set; }

    public bool IsValid => _status == ActivationStatus.Valid;

    /// <summary>Why activating failed, or null (a call routed to this activation fails with it rather than retrying).</summary>
    public GrainActivationException? ActivationFailure { get; private set; }

    /// <summary>Completes when the activation has been deactivated (or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Starts activating: creates the instance, loads its state and runs <c>OnActivateAsync</c>.</summary>
    public void Start() => _scheduler.Post(static state => _ = ((ActivationData)state!).ActivateAsync(), this);

    /// <summary>
    /// The fast path of a call: when the activation is idle and its scheduler free, the handler runs on
    /// the caller's thread. Returns null when the call has to be queued instead.
    /// </summary>
    public object? TryInvokeInline(MethodDispatcher dispatcher, object?[] args, CallChain? caller, TimeSpan timeout, long deadline)
    {
        if (t_inlineDepth >= MaxInlineDepth)
        {
            return null;
        }

        var kind = dispatcher.TurnKindFor(ClassInfo.Reentrant);
        lock (_lock)
        {
            if (_status != ActivationStatus.Valid || _deactivationRequested || _waiting.Count != 0 || !CanStart(kind) || !_scheduler.TryEnter())
            {
                return null;
            }

            Admit(kind, isActivity: true);
        }

        object awaitable;
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_scheduler);
        t_inlineDepth++;
        try
        {
            awaitable = InvokeHandler(dispatcher, args, caller, deadline);
        }
        finally
        {
            t_inlineDepth--;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }

        if (dispatcher.IsCompleted(awaitable))
        {
            CompleteTurn(kind);
            _scheduler.Exit();
            return awaitable;
        }

        var response = dispatcher.CreateResponse();
        var task = dispatcher.ToTask(awaitable);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() =>
        {
            CompleteTurn(kind);
            response.Complete(task);
        });
        _scheduler.Exit();
        return response.ToCallerResult(timeout, () => CallChain.Describe(caller, Id, dispatcher.Name));
    }

    /// <summary>Runs a handler with the call chain set (carrying the caller's deadline, in <see cref="Environment.TickCount64"/> ms); a synchronous throw becomes a faulted awaitable.</summary>
    public object InvokeHandler(MethodDispatcher dispatcher, object?[] args, CallChain? caller, long deadline)
    {
        var previous = CallChain.Enter(new CallChain(Id, dispatcher.Name, caller, deadline));
        RuntimeInstruments.Turns.Add(1);
        using var activity = RuntimeInstruments.ActivitySource.HasListeners()
            ? RuntimeInstruments.ActivitySource.StartActivity($"grain {dispatcher.Name}", ActivityKind.Internal)?.SetTag("grains.grain_id", Id.ToString())
            : null;
        try
        {
            return dispatcher.Invoke(Instance!, args);
        }
        catch (Exception exception)
        {
            return dispatcher.FromException(exception);
        }
        finally
        {
            CallChain.Restore(previous);
        }
    }

    /// <summary>Queues an item for its turn; false when this activation is gone (the caller re-resolves).</summary>
    public bool Enqueue(WorkItem item)
    {
        lock (_lock)
        {
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            var mayBypassQueue = item.Kind == TurnKind.Interleave || _waiting.Count == 0;
            if (_status == ActivationStatus.Valid && !_deactivationRequested && mayBypassQueue && CanStart(item.Kind))
            {
                Admit(item.Kind, item.IsActivity);
                Post(item);
            }
            else
            {
                _waiting.Enqueue(item);
            }

            return true;
        }
    }

    /// <summary>Ends a turn and admits whatever may run next.</summary>
    public void CompleteTurn(TurnKind kind)
    {
        lock (_lock)
        {
            switch (kind)
            {
                case TurnKind.Exclusive: _exclusive--; break;
                case TurnKind.ReadOnly: _readOnly--; break;
                case TurnKind.Interleave: _interleaved--; break;
            }

            Pump();
        }
    }

    /// <summary>Asks for deactivation once running turns complete; waiting calls then go to a new activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_deactivationRequested || _status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return;
            }

            _deactivationRequested = true;
            _deactivationReason = reason;
            Pump();
        }
    }

    /// <summary>When the activation last admitted a call or stream item (<see cref="Environment.TickCount64"/> ms).</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Whether the activation has had no activity since <paramref name="cutoffTicks"/> and has nothing to do.</summary>
    public bool IsIdleSince(long cutoffTicks)
    {
        lock (_lock)
        {
            return _status == ActivationStatus.Valid && !_deactivationRequested && _exclusive + _readOnly + _interleaved == 0
                && _waiting.Count == 0 && Volatile.Read(ref _lastActivity) < cutoffTicks;
        }
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        if (options.Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "A grain timer's period must be positive.");
        }

        var timer = new GrainTimer(this, callback, options);
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                throw new InvalidOperationException($"Grain {Id} is deactivating; it cannot register timers.");
            }

            (_timers ??= []).Add(timer);
        }

        timer.Start();
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    private bool CanStart(TurnKind kind) => kind switch
    {
        TurnKind.Interleave => !_lifecycleRunning,
        TurnKind.ReadOnly => !_lifecycleRunning && _exclusive == 0,
        TurnKind.Exclusive => !_lifecycleRunning && _exclusive == 0 && _readOnly == 0,
        _ => !_lifecycleRunning && _exclusive + _readOnly + _interleaved == 0,
    };

    private void Admit(TurnKind kind, bool isActivity)
    {
        switch (kind)
        {
            case TurnKind.Exclusive: _exclusive++; break;
            case TurnKind.ReadOnly: _readOnly++; break;
            case TurnKind.Interleave: _interleaved++; break;
        }

        if (isActivity)
        {
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
        }
    }

    /// <summary>Starts what may start now. Called under the lock.</summary>
    private void Pump()
    {
        if (_status != ActivationStatus.Valid || _lifecycleRunning)
        {
            return;
        }

        if (_deactivationRequested)
        {
            if (CanStart(TurnKind.Lifecycle))
            {
                _lifecycleRunning = true;
                _status = ActivationStatus.Deactivating;
                _scheduler.Post(static state => _ = ((ActivationData)state!).DeactivateAsync(), this);
            }

            return;
        }

        while (_waiting.TryPeek(out var head) && CanStart(head.Kind))
        {
            _waiting.Dequeue();
            Admit(head.Kind, head.IsActivity);
            Post(head);
        }
    }

    private void Post(WorkItem item) => _scheduler.Post(static state =>
    {
        var (activation, work) = ((ActivationData, WorkItem))state!;
        work.Run(activation);
    }, (this, item));

    private async Task ActivateAsync()
    {
        var timeout = Runtime.Options.ActivationTimeout;
        try
        {
            using var cancellation = new CancellationTokenSource(timeout);
            var (instance, states) = Runtime.Activator.Create(ClassInfo);
            instance.Attach(this);
            Instance = instance;
            foreach (var state in states)
            {
                state.Attach(this);
                await state.LoadAsync(cancellation.Token);
            }

            await instance.OnActivateAsync(cancellation.Token).WaitAsync(timeout);
        }
        catch (Exception exception)
        {
            Runtime.Logger.LogWarning(exception, "Activation of grain {GrainId} failed", Id);
            List<WorkItem> failed;
            var error = new GrainActivationException(Id, exception);
            lock (_lock)
            {
                ActivationFailure = error;
                _status = ActivationStatus.Invalid;
                _lifecycleRunning = false;
                failed = [.. _waiting];
                _waiting.Clear();
            }

            Runtime.Catalog.Remove(this);
            _deactivated.TrySetResult();
            foreach (var item in failed)
            {
                item.Fail(error);
            }

            return;
        }

        RuntimeInstruments.Activations.Add(1);
        lock (_lock)
        {
            _status = ActivationStatus.Valid;
            _lifecycleRunning = false;
            Pump();
        }
    }

    private async Task DeactivateAsync()
    {
        List<GrainTimer>? timers;
        DeactivationReason reason;
        lock (_lock)
        {
            timers = _timers;
            _timers = null;
            reason = _deactivationReason;
        }

        foreach (var timer in timers ?? [])
        {
            timer.Dispose();
        }

        try
        {
            using var cancellation = new CancellationTokenSource(Runtime.Options.DeactivationTimeout);
            await Instance!.OnDeactivateAsync(reason, cancellation.Token).WaitAsync(Runtime.Options.DeactivationTimeout);
        }
        catch (Exception exception)
        {
            Runtime.Logger.LogWarning(exception, "OnDeactivateAsync of grain {GrainId} failed", Id);
        }

        List<WorkItem> waiting;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            _lifecycleRunning = false;
            waiting = [.. _waiting];
            _waiting.Clear();
        }

        Runtime.Catalog.Remove(this);
        RuntimeInstruments.Deactivations.Add(1);
        _deactivated.TrySetResult();
        foreach (var item in waiting)
        {
            item.Forward(Runtime, Id);
        }
    }
}
