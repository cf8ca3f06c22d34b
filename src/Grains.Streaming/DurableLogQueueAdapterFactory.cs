using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>
/// The Orleans queue adapter factory of a durable-log stream provider (registered by
/// <c>AddDurableLogStreams</c>): one queue per log partition, Orleans' simple queue cache, and a
/// failure handler per queue that never lets the checkpoint pass a failed delivery silently.
/// </summary>
public sealed class DurableLogQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly IDurableLog _log;
    private readonly DurableLogStreamOptions _options;
    private readonly DurableLogStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly DurableLogStreamProducer _producer;
    private readonly IDurableLogDeadLetterStore? _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<QueueId, DurableLogQueueAdapterReceiver> _receivers = new();

    private DurableLogQueueAdapterFactory(string name, IServiceProvider services)
    {
        Name = name;
        _log = services.GetRequiredKeyedService<IDurableLog>(name);
        _options = services.GetOptionsByName<DurableLogStreamOptions>(name);
        _mapper = new DurableLogStreamQueueMapper(_options.QueueCount, name);
        _loggerFactory = services.GetRequiredService<ILoggerFactory>();
        _cache = new SimpleQueueAdapterCache(services.GetOptionsByName<SimpleQueueCacheOptions>(name), name, _loggerFactory);
        _producer = services.GetRequiredKeyedService<DurableLogStreamProducer>(name);
        _deadLetters = services.GetKeyedService<IDurableLogDeadLetterStore>(name);
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
    }

    /// <summary>The stream provider's name.</summary>
    public string Name { get; }

    /// <summary>Creates the factory of the provider <paramref name="name"/>; the entry point Orleans calls.</summary>
    public static DurableLogQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new DurableLogQueueAdapterFactory(name, services);
    }

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(new DurableLogQueueAdapter(this, _producer));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new DurableLogStreamFailureHandler(
            Name,
            queueId,
            queue => _receivers.GetValueOrDefault(queue),
            _deadLetters,
            _time,
            _loggerFactory.CreateLogger<DurableLogStreamFailureHandler>()));

    /// <summary>Creates the receiver of a queue; the latest one per queue is what its failure handler talks to.</summary>
    internal DurableLogQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var receiver = new DurableLogQueueAdapterReceiver(Name, queueId, _log, _options, _time, _loggerFactory.CreateLogger<DurableLogQueueAdapterReceiver>());
        _receivers[queueId] = receiver;
        return receiver;
    }
}
