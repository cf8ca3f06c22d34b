using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IOutcomeStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema version 3):
/// a batch is one operation on the writer (its own savepoint), its id and counts commit together or not at all.
/// </summary>
public sealed class SqliteOutcomeStore : RelationalOutcomeStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteOutcomeStore(SqliteDatabase database, TimeProvider? time = null)
        : base(new SqliteStoreCommands(database), time) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
}
