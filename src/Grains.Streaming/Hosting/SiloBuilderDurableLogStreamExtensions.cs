using Grains.Streaming;

namespace Orleans.Hosting;

/// <summary>Adds durable-log stream providers to a silo.</summary>
public static class SiloBuilderDurableLogStreamExtensions
{
    /// <summary>
    /// Adds the persistent stream provider <paramref name="name"/> over a durable partitioned log
    /// (<see cref="IDurableLog"/>, set with <see cref="SiloDurableLogStreamConfigurator.UseLog"/>):
    /// implicit subscriptions only, at-least-once delivery with the log offset as sequence token,
    /// a checkpoint that only passes completed deliveries.
    /// </summary>
    public static ISiloBuilder AddDurableLogStreams(this ISiloBuilder builder, string name, Action<SiloDurableLogStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        var configurator = new SiloDurableLogStreamConfigurator(name, configureServices => builder.ConfigureServices(configureServices));
        configure(configurator);
        return builder;
    }
}
