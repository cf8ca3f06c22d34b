using System.Text.Json;
using Grains.Runtime.Activation;
using Grains.Runtime.Partitioning;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Runtime.Hosting;

/// <summary>Registers a silo in a host.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: <see cref="IGrainFactory"/>, <see cref="IStreamProducer"/> and the
    /// <see cref="Silo"/> hosted service. Storage (<c>IGrainStorage</c>, <c>IStreamLog</c>,
    /// <c>IReminderTable</c>) comes from a provider registration such as <c>AddGrainsSqlite</c> or
    /// <c>AddGrainsMemoryStorage</c>.
    /// </summary>
    public static IServiceCollection AddGrains(this IServiceCollection services, Action<SiloBuilder> configure)
    {
        var builder = new SiloBuilder(services);
        configure(builder);
        var options = builder.Options;
        if (options.PartitionCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), "GrainsOptions.PartitionCount must be positive.");
        }

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPartitionDirectory>(_ => new LocalPartitionDirectory(options));
        services.AddSingleton(new GrainTypeRegistry(builder.Assemblies));
        services.AddSingleton(sp => new GrainRuntime(
            options,
            sp.GetRequiredService<GrainTypeRegistry>(),
            sp.GetRequiredService<IPartitionDirectory>(),
            sp,
            new JsonSerializerOptions(JsonSerializerDefaults.General),
            sp.GetService<ILogger<GrainRuntime>>() ?? NullLogger<GrainRuntime>.Instance));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<GrainRuntime>();
            var service = new ReminderService(runtime, Require<IReminderTable>(sp), sp.GetRequiredService<TimeProvider>());
            runtime.Reminders = service;
            return service;
        });
        services.AddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<GrainRuntime>();
            return new StreamProducer(Require<IStreamLog>(sp), runtime.Registry, runtime.PartitionOf, options.Streams, runtime.Logger);
        });
        services.AddSingleton<IStreamProducer>(sp => sp.GetRequiredService<StreamProducer>());
        services.AddSingleton(sp => new StreamAgents(
            sp.GetRequiredService<GrainRuntime>(), Require<IStreamLog>(sp), sp.GetRequiredService<StreamProducer>(), options));
        services.AddSingleton(sp => new Cluster.SiloPartitions(
            sp.GetRequiredService<GrainRuntime>(), sp.GetRequiredService<StreamAgents>(), sp.GetRequiredService<ReminderService>()));
        services.AddSingleton(sp => new Cluster.LocalGrainCalls(sp.GetRequiredService<GrainRuntime>()));
        services.AddSingleton(sp => new Silo(
            sp.GetRequiredService<GrainRuntime>(),
            sp.GetRequiredService<ReminderService>(),
            sp.GetRequiredService<StreamAgents>(),
            sp.GetRequiredService<StreamProducer>(),
            sp.GetService<ILogger<Silo>>() ?? NullLogger<Silo>.Instance));
        services.AddHostedService(sp => sp.GetRequiredService<Silo>());
        return services;
    }

    private static T Require<T>(IServiceProvider services) where T : notnull =>
        services.GetService<T>() ?? throw new InvalidOperationException(
            $"No {typeof(T).Name} is registered: add a storage provider (AddGrainsSqlite, AddGrainsMemoryStorage) beside AddGrains.");
}
