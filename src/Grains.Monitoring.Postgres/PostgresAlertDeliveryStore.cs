using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> in a shared <see cref="PostgresDatabase"/>: a batch of firings, and an
/// expansion, is one batch (one transaction).
/// </summary>
public sealed class PostgresAlertDeliveryStore : RelationalAlertDeliveryStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresAlertDeliveryStore(PostgresDatabase database)
        : base(PostgresStoreCommands.Monitoring(database))
    {
    }
}
