using Grains.Runtime.Persistence;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Hosting;

/// <summary>Registers the in-process storage providers.</summary>
public static class MemoryStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MemoryGrainStorage"/>, <see cref="MemoryStreamLog"/> and
    /// <see cref="MemoryReminderTable"/> as the singleton <see cref="IGrainStorage"/>,
    /// <see cref="IStreamLog"/> and <see cref="IReminderTable"/> (tests and experiments: nothing is durable).
    /// </summary>
    public static IServiceCollection AddGrainsMemoryStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<MemoryGrainStorage>();
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<MemoryGrainStorage>());
        services.AddSingleton(sp => new MemoryStreamLog(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IStreamLog>(sp => sp.GetRequiredService<MemoryStreamLog>());
        services.AddSingleton<MemoryReminderTable>();
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<MemoryReminderTable>());
        return services;
    }
}
