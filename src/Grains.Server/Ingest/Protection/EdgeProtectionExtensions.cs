using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Registers the edge's protection: the client address rule, the inbound filter gate.</summary>
public static class EdgeProtectionExtensions
{
    public static IServiceCollection AddEdgeProtection(this IServiceCollection services)
    {
        services.AddOptions<ClientAddressOptions>().BindConfiguration(ClientAddressOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientAddressOptions>, ClientAddressOptionsValidator>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<InboundFilterGate>();
        return services;
    }
}
