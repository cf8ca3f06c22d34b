using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IEventStore"/> in the <c>events</c> table of a shared <see cref="PostgresDatabase"/>.</summary>
public sealed class PostgresEventStore : RelationalEventStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the monitoring tables are created or migrated before its first operation.</summary>
    public PostgresEventStore(PostgresDatabase database)
        : base(PostgresStoreCommands.Monitoring(database))
    {
    }
}
