using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IAccountStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema versions 10 and 11).</summary>
public sealed class SqliteAccountStore : RelationalAccountStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteAccountStore(SqliteDatabase database, TimeProvider? time = null)
        : base(new SqliteStoreCommands(database), time) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
}
