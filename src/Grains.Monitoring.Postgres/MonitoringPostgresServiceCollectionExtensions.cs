using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage;
using Grains.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Grains.Monitoring.Postgres;

/// <summary>Registers the monitoring stores on PostgreSQL.</summary>
public static class MonitoringPostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresEventStore"/>, <see cref="PostgresIssueStore"/>,
    /// <see cref="PostgresDirectoryStore"/>, <see cref="PostgresItemStore"/> and <see cref="PostgresOutcomeStore"/> as the singleton
    /// <see cref="IEventStore"/>, <see cref="IIssueStore"/> (and <see cref="IIssueBatchStore"/>), <see cref="IDirectoryStore"/>,
    /// <see cref="IItemStore"/> and <see cref="IOutcomeStore"/>, over the <see cref="PostgresDatabase"/> that <c>AddGrainsPostgresDatabase</c>
    /// registers (call it too). The monitoring and item tables are migrated when a generic host starts
    /// (so an unreachable database fails the start), and in any case before a store's first operation.
    /// </summary>
    public static IServiceCollection AddGrainsMonitoringPostgres(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<PostgresEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<PostgresEventStore>());
        services.AddSingleton<PostgresIssueStore>();
        services.AddSingleton<IIssueStore>(sp => sp.GetRequiredService<PostgresIssueStore>());
        services.AddSingleton<IIssueBatchStore>(sp => sp.GetRequiredService<PostgresIssueStore>());
        services.AddSingleton(sp => new PostgresDirectoryStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<PostgresDirectoryStore>());
        services.AddSingleton(sp => new PostgresItemStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<ItemStoreOptions>()));
        services.AddSingleton<IItemStore>(sp => sp.GetRequiredService<PostgresItemStore>());
        services.AddSingleton<IOutcomeStore>(sp => new PostgresOutcomeStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IAlertDeliveryStore>(sp => new PostgresAlertDeliveryStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IRuleStore>(sp => new PostgresRuleStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<PostgresWorkflowStore>();
        services.AddSingleton<Issues.Workflow.IWorkflowStore>(sp => sp.GetRequiredService<PostgresWorkflowStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MonitoringPostgresSchemaService>());
        services.AddSingleton<Accounts.IAccountStore>(sp => new PostgresAccountStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<TimeProvider>()));
        return services;
    }
}
