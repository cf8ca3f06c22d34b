using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IDirectoryStore"/> in the shared <see cref="SqliteDatabase"/>: organizations, projects,
/// DSN keys and hashed API tokens. Reads run on the pooled read connections with commands prepared
/// once per connection (the edge's key and project lookups); writes are operations on the single writer.
/// </summary>
public sealed class SqliteDirectoryStore : RelationalDirectoryStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    /// <param name="database">The shared database.</param>
    /// <param name="time">The clock for creation dates (the system clock when null).</param>
    public SqliteDirectoryStore(SqliteDatabase database, TimeProvider? time = null)
        : base(new SqliteStoreCommands(database), time) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
}
