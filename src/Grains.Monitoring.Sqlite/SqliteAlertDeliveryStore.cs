using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema version 9).
/// Each write is one operation on the writer (its own savepoint), so a batch of firings, or an expansion,
/// commits whole or not at all.
/// </summary>
public sealed class SqliteAlertDeliveryStore : RelationalAlertDeliveryStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteAlertDeliveryStore(SqliteDatabase database)
        : base(new SqliteStoreCommands(database)) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
}
