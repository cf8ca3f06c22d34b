using Grains.Monitoring.RateLimits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Admission;

/// <summary>Registers the edge's rate limiting (<see cref="IngestAdmission"/> and what it uses).</summary>
public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options (<c>Grains:RateLimits</c>, validated at start), the quota resolver, the
    /// silo's leases over the bucket grains, the admission, and a spike protection that never limits
    /// unless another <see cref="ISpikeProtection"/> is registered.
    /// </summary>
    public static IServiceCollection AddRateLimitAdmission(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRateLimitBuckets, GrainRateLimitBuckets>();
        services.TryAddSingleton<ISpikeProtection, NoSpikeProtection>();
        services.AddSingleton<QuotaResolver>();
        services.AddSingleton(sp => new RateLimitLeases(sp.GetRequiredService<IRateLimitBuckets>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RateLimitLeases>>())
        {
            LeaseDivisor = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value.LeaseDivisor,
        });
        services.AddSingleton<IngestAdmission>();
        return services;
    }
}
