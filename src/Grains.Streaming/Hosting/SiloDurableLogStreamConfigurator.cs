using Grains.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Hosting;

/// <summary>
/// Sets up one durable-log stream provider on a silo (see
/// <see cref="SiloBuilderDurableLogStreamExtensions.AddDurableLogStreams(ISiloBuilder, string, Action{SiloDurableLogStreamConfigurator})"/>).
/// </summary>
/// <remarks>
/// Fixed here, not left to defaults: implicit subscriptions only (no pub-sub grain or store),
/// Orleans' pulling agent delivering one container per call, and its retry horizon and pulling
/// period taken from <see cref="DurableLogStreamOptions"/>.
/// </remarks>
public sealed class SiloDurableLogStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Creates the configurator of the provider <paramref name="name"/>.</summary>
    public SiloDurableLogStreamConfigurator(string name, Action<Action<IServiceCollection>> configureDelegate)
        : base(name, configureDelegate, DurableLogQueueAdapterFactory.Create)
    {
        ConfigureDelegate(services =>
        {
            services.AddOptions<DurableLogStreamOptions>(name);
            services.ConfigureNamedOptionForLogging<DurableLogStreamOptions>(name);
            services.ConfigureNamedOptionForLogging<SimpleQueueCacheOptions>(name);
            services.AddOptions<StreamPullingAgentOptions>(name).Configure<IOptionsMonitor<DurableLogStreamOptions>>((agent, ours) =>
            {
                var options = ours.Get(name);
                agent.BatchContainerBatchSize = 1;
                agent.GetQueueMsgsTimerPeriod = options.PullingPeriod;
                agent.MaxEventDeliveryTime = options.MaxDeliveryRetryTime;
                agent.StreamInactivityPeriod = options.StreamInactivityPeriod;
            });
            services.AddKeyedSingleton(name, (sp, _) => new DurableLogStreamProducer(
                name,
                sp.GetRequiredKeyedService<IDurableLog>(name),
                sp.GetOptionsByName<DurableLogStreamOptions>(name).QueueCount));
            services.AddTransient<IConfigurationValidator>(sp => new DurableLogStreamOptionsValidator(sp, name));
        });
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's <see cref="DurableLogStreamOptions"/>.</summary>
    public SiloDurableLogStreamConfigurator ConfigureDurableLog(Action<DurableLogStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        this.Configure<DurableLogStreamOptions>(builder => builder.Configure(configure));
        return this;
    }

    /// <summary>Sets the log the provider reads and its producer appends to (required; one per provider).</summary>
    public SiloDurableLogStreamConfigurator UseLog(Func<IServiceProvider, string, IDurableLog> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ConfigureDelegate(services => services.AddKeyedSingleton(Name, (sp, key) => factory(sp, (string)key!)));
        return this;
    }

    /// <summary>
    /// Sets where failed deliveries are set aside so the checkpoint may pass them (optional; without it
    /// they are held). The store is registered as the keyed <see cref="IDurableLogDeadLetterStore"/>
    /// of the provider's name, so a consumer grain can resolve it to set aside a poison item itself;
    /// every item set aside through it is counted in <c>grains.streaming.dead_lettered</c>.
    /// </summary>
    public SiloDurableLogStreamConfigurator UseDeadLetterStore(Func<IServiceProvider, string, IDurableLogDeadLetterStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ConfigureDelegate(services => services.AddKeyedSingleton<IDurableLogDeadLetterStore>(Name, (sp, key) => new CountingDeadLetterStore(factory(sp, (string)key!))));
        return this;
    }

    /// <summary>
    /// Leaves the provider's pulling agents stopped when the silo starts; they start when
    /// <see cref="DurableLogStreamDelivery.StartAsync"/> is called. A host uses it to start delivering a
    /// backlog only once it serves requests (after a crash, thousands of deliveries would otherwise
    /// compete with the host's own start).
    /// </summary>
    public SiloDurableLogStreamConfigurator DeferDelivery()
    {
        this.Configure<StreamLifecycleOptions>(builder => builder.Configure(options => options.StartupState = StreamLifecycleOptions.RunState.AgentsStopped));
        return this;
    }

    /// <summary>Sets the size of Orleans' queue cache per queue, in containers (Orleans' default 4,096).</summary>
    public SiloDurableLogStreamConfigurator ConfigureCache(int cacheSize = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE)
    {
        this.Configure<SimpleQueueCacheOptions>(builder => builder.Configure(options => options.CacheSize = cacheSize));
        return this;
    }
}
