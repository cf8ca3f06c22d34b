using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.RateLimits;
using Grains.Monitoring.SpikeProtection;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grains.Server.Outcomes;

/// <summary>Registers spike protection: its options, the thresholds held in memory, their hourly refresh, and the drop monitor.</summary>
public static class SpikeProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SpikeThresholds"/> as the admission's <see cref="ISpikeProtection"/> (options from <see cref="SpikeProtectionOptions.Section"/>, validated at
    /// start), the <see cref="SpikeProtectionRefresher"/>, and <see cref="SpikeDropMonitor"/> as the
    /// <see cref="IOutcomeRecorder"/> (in front of the <see cref="OutcomeAggregator"/>).
    /// </summary>
    public static IServiceCollection AddSpikeProtection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SpikeProtectionOptions>().BindConfiguration(SpikeProtectionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpikeProtectionOptions>, SpikeProtectionOptionsValidator>();
        services.AddSingleton(sp => new SpikeThresholds(
            sp.GetRequiredService<IOutcomeStore>(),
            sp.GetRequiredService<IDirectoryStore>(),
            sp.GetService<ProjectChangeNotifier>(),
            sp.GetRequiredService<IOptions<SpikeProtectionOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SpikeThresholds>>()));
        // Before the admission's default (NoSpikeProtection, added only when none is registered); one
        // registered earlier (a test's) stays.
        services.TryAddSingleton<ISpikeProtection>(sp => sp.GetRequiredService<SpikeThresholds>());
        services.AddSingleton(sp => new SpikeDropMonitor(
            sp.GetRequiredService<OutcomeAggregator>(), sp.GetRequiredService<SpikeThresholds>(), sp.GetService<ILogger<SpikeDropMonitor>>()));
        services.AddSingleton<IOutcomeRecorder>(sp => sp.GetRequiredService<SpikeDropMonitor>());
        services.AddHostedService<SpikeProtectionRefresher>();
        return services;
    }
}
