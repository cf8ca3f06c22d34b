using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;

namespace Grains.Runtime.Streams;

/// <summary>The pulling agents of the partitions this silo owns, one each, and their lag gauge.</summary>
internal sealed class StreamAgents
{
    private readonly ConcurrentDictionary<int, PullingAgent> _agents = new();
    private readonly GrainRuntime _runtime;
    private readonly IStreamLog _log;
    private readonly StreamOptions _options;
    private readonly StreamBufferBudget _budget;
    private readonly SemaphoreSlim _deliveries;

    public StreamAgents(GrainRuntime runtime, IStreamLog log, StreamProducer producer, GrainsOptions options)
    {
        _runtime = runtime;
        _log = log;
        _options = options.Streams;
        _budget = new StreamBufferBudget(options.Streams.MaxBufferedBytes);
        _deliveries = new SemaphoreSlim(Math.Max(1, options.Streams.MaxConcurrentDeliveries));
        producer.PartitionAppended += partition =>
        {
            if (_agents.TryGetValue(partition, out var agent))
            {
                agent.Wake();
            }
        };
        RuntimeInstruments.Meter.CreateObservableGauge("grains.stream.lag", ObserveLag, "s",
            "Age of the oldest stream item of a partition that was read but not yet checkpointed (0 when caught up).");
        RuntimeInstruments.Meter.CreateObservableGauge("grains.stream.buffered_bytes", () => _budget.Used, "By",
            "Stream payload bytes read ahead by this silo's pulling agents and not yet processed.");
    }

    /// <summary>The number of running agents.</summary>
    internal int Count => _agents.Count;

    /// <summary>The silo-wide read-ahead budget.</summary>
    internal StreamBufferBudget Budget => _budget;

    /// <summary>Starts an agent for every partition owned now.</summary>
    public void Start()
    {
        foreach (var partition in _runtime.Directory.LocalPartitions)
        {
            var agent = new PullingAgent(partition, _runtime, _log, _options, _budget, _deliveries);
            if (_agents.TryAdd(partition, agent))
            {
                agent.Start();
            }
        }
    }

    /// <summary>Starts the agent of one partition (it was acquired); no-op when it runs already.</summary>
    public void StartPartition(int partition)
    {
        var agent = new PullingAgent(partition, _runtime, _log, _options, _budget, _deliveries);
        if (_agents.TryAdd(partition, agent))
        {
            agent.Start();
        }
    }

    /// <summary>Graceful stop of one partition's agent (it is handed over): finish, checkpoint, stop.</summary>
    public Task StopPartitionAsync(int partition) =>
        _agents.TryRemove(partition, out var agent) ? agent.StopAsync() : Task.CompletedTask;

    /// <summary>Crash-like stop of one partition's agent (its lease was lost): nothing more is checkpointed.</summary>
    public Task AbortPartitionAsync(int partition) =>
        _agents.TryRemove(partition, out var agent) ? agent.AbortAsync() : Task.CompletedTask;

    /// <summary>Graceful: every agent finishes and checkpoints the batch in hand.</summary>
    public Task StopAsync() => Task.WhenAll(DrainAgents().Select(agent => agent.StopAsync()));

    /// <summary>Crash-like: agents drop their batch in hand without checkpointing.</summary>
    public Task AbortAsync() => Task.WhenAll(DrainAgents().Select(agent => agent.AbortAsync()));

    private List<PullingAgent> DrainAgents()
    {
        var agents = _agents.Values.ToList();
        _agents.Clear();
        return agents;
    }

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        foreach (var agent in _agents.Values)
        {
            yield return new Measurement<double>(agent.Lag.TotalSeconds, new KeyValuePair<string, object?>("partition", agent.Partition));
        }
    }
}
