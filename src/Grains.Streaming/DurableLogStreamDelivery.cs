using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>Starts the deferred delivery of a stream provider on this silo (see <c>DeferDelivery</c>).</summary>
public static class DurableLogStreamDelivery
{
    /// <summary>
    /// Starts the pulling agents of the stream provider <paramref name="providerName"/> on this silo
    /// (a no-op when they already run). Only this silo's queues are affected: in a cluster each silo
    /// starts its own when it is ready.
    /// </summary>
    /// <exception cref="InvalidOperationException">The silo has no such stream provider, or it cannot be controlled.</exception>
    public static async Task StartAsync(IServiceProvider services, string providerName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        if (services.GetKeyedService<IStreamProvider>(providerName) is not IControllable provider)
        {
            throw new InvalidOperationException($"The silo has no controllable stream provider named '{providerName}'.");
        }

        await provider.ExecuteCommand((int)PersistentStreamProviderCommand.StartAgents, null);
    }
}
