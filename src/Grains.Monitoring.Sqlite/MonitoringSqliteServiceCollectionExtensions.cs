using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Sqlite;

/// <summary>Registers the monitoring stores on SQLite.</summary>
public static class MonitoringSqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteEventStore"/>, <see cref="SqliteIssueStore"/> and
    /// <see cref="SqliteDirectoryStore"/> (and the item and outcome stores) as the singleton <see cref="IEventStore"/>,
    /// <see cref="IIssueStore"/> (and <see cref="IIssueBatchStore"/>), <see cref="IDirectoryStore"/>, <see cref="IItemStore"/>, <see cref="IOutcomeStore"/>, the rule store <see cref="IRuleStore"/> and the alert outbox's <see cref="IAlertDeliveryStore"/>, over the <see cref="SqliteDatabase"/>
    /// that <c>AddGrainsSqlite</c> registers (call it too). The monitoring tables are created or
    /// migrated when the first store is resolved.
    /// </summary>
    public static IServiceCollection AddGrainsMonitoringSqlite(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<SqliteIssueStore>();
        services.AddSingleton<IIssueStore>(sp => sp.GetRequiredService<SqliteIssueStore>());
        services.AddSingleton<IIssueBatchStore>(sp => sp.GetRequiredService<SqliteIssueStore>());
        services.AddSingleton(sp => new SqliteDirectoryStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<SqliteDirectoryStore>());
        services.AddSingleton<IItemStore>(sp => new SqliteItemStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<ItemStoreOptions>()));
        services.AddSingleton<IOutcomeStore>(sp => new SqliteOutcomeStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IAlertDeliveryStore>(sp => new SqliteAlertDeliveryStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IRuleStore>(sp => new SqliteRuleStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<SqliteWorkflowStore>();
        services.AddSingleton<Issues.Workflow.IWorkflowStore>(sp => sp.GetRequiredService<SqliteWorkflowStore>());
        services.AddSingleton<Accounts.IAccountStore>(sp => new SqliteAccountStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetService<TimeProvider>()));
        return services;
    }
}
