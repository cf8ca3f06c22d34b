using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IRuleStore"/> in the <c>alert_rules</c> table of the shared <see cref="SqliteDatabase"/> (monitoring schema version 8).</summary>
public sealed class SqliteRuleStore : RelationalRuleStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteRuleStore(SqliteDatabase database)
        : base(new SqliteStoreCommands(database)) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
}
