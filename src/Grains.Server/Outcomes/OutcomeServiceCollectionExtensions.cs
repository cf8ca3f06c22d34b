using Grains.Monitoring.Outcomes;
using Microsoft.Extensions.Options;

namespace Grains.Server.Outcomes;

/// <summary>Registers the outcome recorder and its flusher (the <see cref="IOutcomeStore"/> comes with the storage).</summary>
public static class OutcomeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OutcomeAggregator"/> (behind <see cref="Monitoring.SpikeProtection.SpikeDropMonitor"/>, the
    /// singleton <see cref="IOutcomeRecorder"/>: see <see cref="SpikeProtectionServiceCollectionExtensions.AddSpikeProtection"/>), its
    /// options (section <see cref="OutcomeOptions.Section"/>, validated at start), the edge's
    /// <see cref="IngestOutcomes"/> and the <see cref="OutcomeFlusher"/>.
    /// </summary>
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OutcomeOptions>().BindConfiguration(OutcomeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutcomeOptions>, OutcomeOptionsValidator>();
        services.AddSingleton(sp => new OutcomeAggregator(
            sp.GetRequiredService<IOutcomeStore>(), sp.GetRequiredService<IOptions<OutcomeOptions>>().Value, sp.GetService<ILogger<OutcomeAggregator>>()));
        services.AddSingleton<IngestOutcomes>();
        services.AddHostedService<OutcomeFlusher>();

        // The recorder the edge calls: the aggregator behind spike protection's drop monitor.
        services.AddSpikeProtection();
        return services;
    }
}
