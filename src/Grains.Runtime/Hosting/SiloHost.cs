using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Hosting;

/// <summary>
/// A silo without a generic host: for tests, benchmarks and tools. <see cref="StopAsync"/> is the
/// graceful shutdown; <see cref="DisposeAsync"/> without it aborts the silo like a crash.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SiloHost(ServiceProvider services)
    {
        _services = services;
        Silo = services.GetRequiredService<Silo>();
    }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The silo.</summary>
    public Silo Silo { get; }

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    /// <summary>Builds and starts a silo.</summary>
    /// <param name="configure">Configures the silo (grain assemblies, options, storage provider services).</param>
    /// <param name="configureServices">Adds more services (logging, storage).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SiloHost> StartAsync(Action<SiloBuilder> configure, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        configureServices?.Invoke(services);
        services.AddGrains(configure);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        var host = new SiloHost(provider);
        await host.Silo.StartAsync(cancellationToken);
        await host.Silo.StartedAsync(cancellationToken);
        return host;
    }

    /// <summary>Graceful shutdown.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Silo.StopAsync(cancellationToken);

    /// <summary>Aborts the silo if it was not stopped, then disposes the services (closing storage).</summary>
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await _services.DisposeAsync();
    }
}
