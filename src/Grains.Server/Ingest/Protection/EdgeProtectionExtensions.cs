using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Registers the edge's protection: the client address rule, the inbound filter gate, the per-address guard, Kestrel's limits.</summary>
public static class EdgeProtectionExtensions
{
    public static IServiceCollection AddEdgeProtection(this IServiceCollection services)
    {
        services.AddOptions<ClientAddressOptions>().BindConfiguration(ClientAddressOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientAddressOptions>, ClientAddressOptionsValidator>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<InboundFilterGate>();
        services.AddOptions<ClientGuardOptions>().BindConfiguration(ClientGuardOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientGuardOptions>, ClientGuardOptionsValidator>();
        services.AddSingleton(sp => new ClientRateLimiter(sp.GetRequiredService<IOptions<ClientGuardOptions>>(), sp.GetService<TimeProvider>()));
        services.AddOptions<KestrelLimitsOptions>().BindConfiguration(KestrelLimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KestrelLimitsOptions>, KestrelLimitsOptionsValidator>();
        services.AddTransient<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, KestrelLimitsSetup>();
        return services;
    }
}
