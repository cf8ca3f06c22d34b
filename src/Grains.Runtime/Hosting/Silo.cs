using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Hosting;

/// <summary>
/// The silo's life cycle. Start: reminders and idle collection; the pulling agents start once the host
/// has started (<see cref="StartedAsync"/>: after every hosted service, the web server included, so an
/// HTTP edge listens before a stream backlog's delivery floods the thread pool). Graceful stop, in this
/// order: stop pulling (each agent finishes its batch in hand, whose turns complete and persist,
/// then checkpoints), stop reminders, deactivate every activation (<c>OnDeactivateAsync</c>), flush
/// pending stream appends. Disposing a silo that was not stopped aborts it like a crash: nothing is
/// checkpointed or deactivated, and whatever was not durable is redone by the next start.
/// </summary>
public sealed class Silo : IHostedLifecycleService, IAsyncDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly ReminderService _reminders;
    private readonly StreamAgents _agents;
    private readonly StreamProducer _producer;
    private readonly ILogger<Silo> _logger;
    private Timer? _collector;
    private int _shedding;
    private int _sheddingRequested;
    private int _state; // 0 created, 1 started, 2 stopped

    internal Silo(GrainRuntime runtime, ReminderService reminders, StreamAgents agents, StreamProducer producer, ILogger<Silo> logger)
    {
        _runtime = runtime;
        _reminders = reminders;
        _agents = agents;
        _producer = producer;
        _logger = logger;
        runtime.ActivationLimitExceeded = ScheduleShedding;
    }

    /// <summary>Whether the silo is started and not stopping (readiness).</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 1;

    /// <summary>The number of activations in this silo.</summary>
    public int ActivationCount => _runtime.Catalog.Count;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _reminders.StartAsync(cancellationToken);
        var quantum = _runtime.Options.CollectionQuantum;
        _collector = new Timer(_ =>
        {
            CollectIdle();
            ShedOverLimit();
        }, null, quantum, quantum);
        Volatile.Write(ref _state, 1);
        _logger.LogInformation("Silo started: {Partitions} partitions owned", _runtime.Directory.LocalPartitions.Count);
    }

    /// <summary>
    /// Starts the pulling agents of the partitions owned now, once every hosted service has started.
    /// Items appended meanwhile wait in the durable stream log; nothing acknowledged depends on delivery.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            _agents.Start();
            _logger.LogInformation("Stream delivery started");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        _logger.LogInformation("Silo stopping: draining stream partitions");
        _collector?.Dispose();
        await _agents.StopAsync();
        _reminders.Stop();

        var activations = _runtime.Catalog.All.ToList();
        _logger.LogInformation("Silo stopping: deactivating {Count} activations", activations.Count);
        foreach (var activation in activations)
        {
            activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        }

        var all = Task.WhenAll(activations.Select(a => a.Deactivated));
        await Task.WhenAny(all, Task.Delay(_runtime.Options.DeactivationTimeout, CancellationToken.None));
        _runtime.Stop();
        await _producer.DisposeAsync();
        _logger.LogInformation("Silo stopped");
    }

    /// <summary>Aborts the silo when it was not stopped (crash semantics); a no-op after <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        _logger.LogWarning("Silo disposed without a graceful stop: aborting");
        _collector?.Dispose();
        _runtime.Stop();
        _reminders.Stop();
        await Task.WhenAny(_agents.AbortAsync(), Task.Delay(TimeSpan.FromSeconds(5)));
        await _producer.DisposeAsync();
    }

    /// <summary>Deactivates the least recently used idle activations until the catalog is at 90 % of its limit.</summary>
    internal int ShedOverLimit()
    {
        var target = _runtime.Options.MaxActivations * 9 / 10;
        var excess = _runtime.Catalog.Count - target;
        if (excess <= 0)
        {
            return 0;
        }

        var now = Environment.TickCount64 + 1;
        var shed = 0;
        foreach (var activation in _runtime.Catalog.All.OrderBy(a => a.LastActivity).Take(excess * 2))
        {
            if (shed >= excess)
            {
                break;
            }

            if (activation.IsIdleSince(now))
            {
                activation.RequestDeactivation(DeactivationReason.Idle);
                shed++;
            }
        }

        return shed;
    }

    private void ScheduleShedding()
    {
        // A request that arrives while a round runs is not dropped: the running round goes again.
        Volatile.Write(ref _sheddingRequested, 1);
        if (Interlocked.CompareExchange(ref _shedding, 1, 0) != 0)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                while (Interlocked.Exchange(ref _sheddingRequested, 0) == 1)
                {
                    var shed = ShedOverLimit();
                    if (shed > 0)
                    {
                        _logger.LogInformation("Deactivating {Count} idle activations over the limit of {Limit}", shed, _runtime.Options.MaxActivations);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _shedding, 0);
                if (Volatile.Read(ref _sheddingRequested) == 1)
                {
                    ScheduleShedding();
                }
            }
        }, null);
    }

    /// <summary>Deactivates activations idle for longer than the collection age.</summary>
    internal int CollectIdle()
    {
        var cutoff = Environment.TickCount64 - (long)_runtime.Options.CollectionAge.TotalMilliseconds;
        var collected = 0;
        foreach (var activation in _runtime.Catalog.All)
        {
            if (activation.IsIdleSince(cutoff))
            {
                activation.RequestDeactivation(DeactivationReason.Idle);
                collected++;
            }
        }

        return collected;
    }
}
